package dev.proxima.policy;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A snapshot of a job's policy: both networks with their Adam state, as a policy archive. */
@Entity
@Table(name = "policy_checkpoint")
public class PolicyCheckpoint {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private UUID jobId;
    private int iteration;
    private long timesteps;
    private Double episodeReturnMean;

    @Basic(fetch = FetchType.LAZY)
    @Column(name = "policy_archive")
    private byte[] policyArchive;

    private int sizeBytes;
    private Instant createdAt;

    /** The job's checkpoint with the highest ep_rew_mean (the earliest on a tie); at most one per job. */
    private boolean best;

    protected PolicyCheckpoint() {
    }

    PolicyCheckpoint(UUID jobId, int iteration, long timesteps, Double episodeReturnMean, byte[] policyArchive,
            Instant createdAt) {
        this.jobId = jobId;
        this.iteration = iteration;
        this.timesteps = timesteps;
        this.episodeReturnMean = episodeReturnMean;
        this.policyArchive = policyArchive;
        this.sizeBytes = policyArchive.length;
        this.createdAt = createdAt;
    }

    public Long getId() {
        return id;
    }

    public UUID getJobId() {
        return jobId;
    }

    public int getIteration() {
        return iteration;
    }

    public long getTimesteps() {
        return timesteps;
    }

    public Double getEpisodeReturnMean() {
        return episodeReturnMean;
    }

    public boolean isBest() {
        return best;
    }
}

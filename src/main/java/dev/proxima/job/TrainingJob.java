package dev.proxima.job;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import java.time.Instant;
import java.util.UUID;

/** A training job: what was asked (the effective request) and how far it got. */
@Entity
@Table(name = "training_job")
public class TrainingJob {

    @Id
    private UUID id;

    private String name;

    @Enumerated(EnumType.STRING)
    private JobStatus status;

    private String environmentId;
    private long totalTimesteps;
    private long timesteps;
    private int iteration;
    private Double episodeReturnMean;
    private boolean cancelRequested;

    /** The effective request, as JSON text in a varchar column (see {@link JsonColumns}); never updated. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "request_json", columnDefinition = "varchar(1000000)")
    @Immutable
    private JobRequest request;

    @Enumerated(EnumType.STRING)
    private StopReason stopReason;

    private String error;
    private Instant createdAt;

    /** The Idempotency-Key the job was submitted with (unique), and its request's fingerprint. */
    private String idempotencyKey;
    private String requestFingerprint;
    private Instant startedAt;
    private Instant finishedAt;

    /** An external job's runner token, hashed ({@code RunnerTokens}); null for a built-in environment. */
    private String runnerTokenHash;
    private String owner;

    protected TrainingJob() {
    }

    TrainingJob(UUID id, String name, String environmentId, long totalTimesteps, JobRequest request,
            IdempotencyKey idempotencyKey, String runnerTokenHash, String owner, Instant now) {
        this.id = id;
        this.owner = owner;
        this.name = name;
        this.status = JobStatus.QUEUED;
        this.environmentId = environmentId;
        this.totalTimesteps = totalTimesteps;
        this.request = request;
        this.createdAt = now;
        this.runnerTokenHash = runnerTokenHash;
        if (idempotencyKey != null) {
            this.idempotencyKey = idempotencyKey.value();
            this.requestFingerprint = idempotencyKey.requestFingerprint();
        }
    }

    public UUID getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public JobStatus getStatus() {
        return status;
    }

    public String getEnvironmentId() {
        return environmentId;
    }

    public long getTotalTimesteps() {
        return totalTimesteps;
    }

    public long getTimesteps() {
        return timesteps;
    }

    public int getIteration() {
        return iteration;
    }

    public Double getEpisodeReturnMean() {
        return episodeReturnMean;
    }

    public boolean isCancelRequested() {
        return cancelRequested;
    }

    public JobRequest getRequest() {
        return request;
    }

    public StopReason getStopReason() {
        return stopReason;
    }

    public String getError() {
        return error;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public String getIdempotencyKey() {
        return idempotencyKey;
    }

    public String getRequestFingerprint() {
        return requestFingerprint;
    }

    public String getOwner() {
        return owner;
    }

    public String getRunnerTokenHash() {
        return runnerTokenHash;
    }
}

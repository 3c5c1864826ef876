package dev.proxima.policy;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A stored evaluation: episodes of one checkpoint, their returns and lengths (JSON arrays). */
@Entity
@Table(name = "evaluation")
class Evaluation {

    @Id
    private UUID id;
    private UUID jobId;
    private int checkpointIteration;
    private long checkpointTimesteps;
    private int episodes;
    private boolean deterministic;
    private long seed;
    private double meanReturn;
    private double stdReturn;
    private double meanLength;
    private String returnsJson;
    private String lengthsJson;
    private Instant createdAt;

    protected Evaluation() {
    }

    Evaluation(UUID id, UUID jobId, CheckpointInfo checkpoint, boolean deterministic, long seed, double[] returns,
            int[] lengths, String returnsJson, String lengthsJson, Instant createdAt) {
        this.id = id;
        this.jobId = jobId;
        this.checkpointIteration = checkpoint.iteration();
        this.checkpointTimesteps = checkpoint.timesteps();
        this.episodes = returns.length;
        this.deterministic = deterministic;
        this.seed = seed;
        double mean = 0;
        double meanLength = 0;
        for (int i = 0; i < returns.length; i++) {
            mean += returns[i] / returns.length;
            meanLength += (double) lengths[i] / returns.length;
        }
        double variance = 0;
        for (double value : returns) {
            variance += (value - mean) * (value - mean) / returns.length;
        }
        this.meanReturn = mean;
        this.stdReturn = Math.sqrt(variance); // the population's, as numpy's std in rl-zoo's evaluation
        this.meanLength = meanLength;
        this.returnsJson = returnsJson;
        this.lengthsJson = lengthsJson;
        this.createdAt = createdAt;
    }

    UUID getId() {
        return id;
    }

    UUID getJobId() {
        return jobId;
    }

    int getCheckpointIteration() {
        return checkpointIteration;
    }

    long getCheckpointTimesteps() {
        return checkpointTimesteps;
    }

    int getEpisodes() {
        return episodes;
    }

    boolean isDeterministic() {
        return deterministic;
    }

    long getSeed() {
        return seed;
    }

    double getMeanReturn() {
        return meanReturn;
    }

    double getStdReturn() {
        return stdReturn;
    }

    double getMeanLength() {
        return meanLength;
    }

    String getReturnsJson() {
        return returnsJson;
    }

    String getLengthsJson() {
        return lengthsJson;
    }

    Instant getCreatedAt() {
        return createdAt;
    }
}

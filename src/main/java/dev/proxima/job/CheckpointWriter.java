package dev.proxima.job;

import java.util.Optional;
import java.util.UUID;

/** Where a running job's checkpoints go, and come back from to resume (implemented by the policy feature). */
public interface CheckpointWriter {

    /** A stored checkpoint: where training stood when it was taken, and its archive. */
    record Stored(int iteration, long timesteps, Double episodeReturnMean, byte[] archive) {
    }

    void write(UUID jobId, int iteration, long timesteps, Double episodeReturnMean, byte[] policyArchive);

    /** The job's newest checkpoint, if it has one. */
    Optional<Stored> newest(UUID jobId);

    /** The bytes of the checkpoints stored for {@code owner}'s jobs other than {@code exceptJobId}. */
    long storedBytes(String owner, UUID exceptJobId);

    /** Removes a job's checkpoints, for a run that starts over. */
    void deleteAll(UUID jobId);
}

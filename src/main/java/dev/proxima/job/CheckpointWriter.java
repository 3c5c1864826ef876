package dev.proxima.job;

import java.util.UUID;

/** Where a running job's policy checkpoints go (implemented by the policy feature). */
public interface CheckpointWriter {

    void write(UUID jobId, int iteration, long timesteps, Double episodeReturnMean, byte[] policyArchive);

    /** Removes a job's checkpoints, for a run that starts over. */
    void deleteAll(UUID jobId);
}

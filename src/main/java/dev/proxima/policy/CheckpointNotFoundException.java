package dev.proxima.policy;

import java.util.UUID;

/** The job has no stored checkpoint at the iteration asked for (answered 404). */
public class CheckpointNotFoundException extends RuntimeException {

    public CheckpointNotFoundException(UUID jobId, int iteration) {
        super("job " + jobId + " has no checkpoint at iteration " + iteration + "; GET /api/jobs/" + jobId
                + "/checkpoints lists the stored ones");
    }
}

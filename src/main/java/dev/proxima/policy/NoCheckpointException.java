package dev.proxima.policy;

import java.util.UUID;

/** The job exists but has not written a policy checkpoint yet (answered 409). */
public class NoCheckpointException extends RuntimeException {

    public NoCheckpointException(UUID jobId) {
        super("job " + jobId + " has no policy checkpoint yet; one is written after its first iteration");
    }
}

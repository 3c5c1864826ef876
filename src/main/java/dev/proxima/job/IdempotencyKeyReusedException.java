package dev.proxima.job;

import java.util.UUID;

/** An Idempotency-Key sent again with a different request (answered 422). */
public class IdempotencyKeyReusedException extends RuntimeException {

    private final UUID jobId;

    IdempotencyKeyReusedException(String key, UUID jobId) {
        super("Idempotency-Key '" + key + "' was first sent with a different request, which created job " + jobId
                + "; a retry must send the same request, and a new job needs a new key");
        this.jobId = jobId;
    }

    /** The job the key created. */
    public UUID jobId() {
        return jobId;
    }
}

package dev.proxima.job;

import dev.proxima.InvalidFieldException;
import java.net.URI;
import java.util.UUID;

/** An Idempotency-Key sent again with a different request (answered 422, naming the job the key created). */
public class IdempotencyKeyReusedException extends InvalidFieldException {

    private final UUID jobId;

    IdempotencyKeyReusedException(String key, UUID jobId) {
        super(IdempotencyKey.HEADER, "Idempotency-Key '" + key + "' was first sent with a different request, which "
                + "created job " + jobId + "; a retry must send the same request, and a new job needs a new key");
        this.jobId = jobId;
        getBody().setTitle("Idempotency key reused");
        getBody().setType(URI.create("/problems/idempotency-key-reused"));
        getBody().setProperty("jobId", jobId);
    }

    /** The job the key created. */
    public UUID jobId() {
        return jobId;
    }
}

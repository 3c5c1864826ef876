package dev.proxima.policy;

import dev.proxima.ProblemException;
import java.util.UUID;
import org.springframework.http.HttpStatus;

/** The job has no stored checkpoint at the iteration asked for (answered 404). */
public class CheckpointNotFoundException extends ProblemException {

    public CheckpointNotFoundException(UUID jobId, int iteration) {
        super(HttpStatus.NOT_FOUND, "Not found", "job " + jobId + " has no checkpoint at iteration " + iteration
                + "; GET /api/jobs/" + jobId + "/checkpoints lists the stored ones");
    }
}

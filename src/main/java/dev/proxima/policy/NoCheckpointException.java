package dev.proxima.policy;

import dev.proxima.ProblemException;
import java.util.UUID;
import org.springframework.http.HttpStatus;

/** The job exists but has no checkpoint of the kind asked for yet (answered 409). */
public class NoCheckpointException extends ProblemException {

    private NoCheckpointException(String message) {
        super(HttpStatus.CONFLICT, "Conflict", message);
    }

    static NoCheckpointException noneYet(UUID jobId) {
        return new NoCheckpointException("job " + jobId + " has no policy checkpoint yet; one is written after its "
                + "first iteration (or its checkpointEvery-th)");
    }

    static NoCheckpointException noBestYet(UUID jobId) {
        return new NoCheckpointException("job " + jobId + " has no best checkpoint yet: none of its checkpoints has an "
                + "ep_rew_mean, as no episode had ended when they were written");
    }
}

package dev.proxima.job;

import dev.proxima.ProblemException;
import org.springframework.http.HttpStatus;

/** The job is not in a state that allows the operation (answered 409). */
public class JobConflictException extends ProblemException {

    public JobConflictException(String message) {
        super(HttpStatus.CONFLICT, "Conflict", message);
    }
}

package dev.proxima.job;

/** The job is not in a state that allows the operation (answered 409). */
public class JobConflictException extends RuntimeException {

    public JobConflictException(String message) {
        super(message);
    }
}

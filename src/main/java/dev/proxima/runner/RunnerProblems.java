package dev.proxima.runner;

import dev.proxima.ProblemException;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** The runner protocol's errors, each its status and title. */
final class RunnerProblems {

    private RunnerProblems() {
    }

    /** 401: no runner token, or one that belongs to no job. */
    static final class Unauthorized extends ProblemException {
        Unauthorized(String detail) {
            super(HttpStatus.UNAUTHORIZED, "Unauthorized", detail);
            getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"proxima-runners\"");
        }
    }

    /** 404: the runner is not attached (detached, lease lost, or the service restarted): attach again. */
    static final class NotAttached extends ProblemException {
        NotAttached(UUID runnerId) {
            super(HttpStatus.NOT_FOUND, "Runner not attached", "runner " + runnerId + " is not attached to this job "
                    + "(detached, its lease lost, or the service restarted): attach again and start from sequence 0");
        }
    }

    /** 410: the job has finished; runners stop. */
    static final class JobGone extends ProblemException {
        JobGone(UUID jobId) {
            super(HttpStatus.GONE, "Job finished", "job " + jobId + " has finished: stop stepping");
        }
    }

    /** 409: attaching more copies than are free, or to a finished job ({@code jobFinished: true}). */
    static final class Conflict extends ProblemException {
        Conflict(String detail, boolean jobFinished) {
            super(HttpStatus.CONFLICT, "Conflict", detail);
            getBody().setProperty("jobFinished", jobFinished);
        }
    }

    /** 409 naming the sequence: a step neither next nor a retry. */
    static final class OutOfOrder extends ProblemException {
        OutOfOrder(String detail) {
            super(HttpStatus.CONFLICT, "Step out of order", "sequence: " + detail);
            getBody().setProperty("field", "sequence");
        }
    }

    /** 503: the job's run stopped on this instance (it is shutting down); retry, then attach again. */
    static final class Unavailable extends ProblemException {
        Unavailable(UUID jobId) {
            super(HttpStatus.SERVICE_UNAVAILABLE, "Run interrupted", "job " + jobId
                    + " stopped running on this instance (a shutdown); retry with backoff and attach again");
            getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
        }
    }
}

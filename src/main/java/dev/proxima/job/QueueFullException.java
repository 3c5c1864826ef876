package dev.proxima.job;

import dev.proxima.ProblemException;
import org.springframework.http.HttpStatus;

/** As many jobs are queued or running as proxima.jobs.max-queued allows (answered 429 with Retry-After). */
public class QueueFullException extends ProblemException {

    public QueueFullException(int maxQueued) {
        super(HttpStatus.TOO_MANY_REQUESTS, "Job queue full", "the service already has " + maxQueued
                + " jobs queued or running, its limit (proxima.jobs.max-queued); retry later or cancel a job");
        retryLater();
    }
}

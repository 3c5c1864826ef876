package dev.proxima.job;

import dev.proxima.ProblemException;
import org.springframework.http.HttpStatus;

/**
 * As many jobs are queued or running as proxima.jobs.max-queued allows, or as many of one owner's
 * as proxima.quotas.active-jobs-per-owner (answered 429 with Retry-After).
 */
public class QueueFullException extends ProblemException {

    private QueueFullException(String title, String detail) {
        super(HttpStatus.TOO_MANY_REQUESTS, title, detail);
        retryLater();
    }

    static QueueFullException service(int maxQueued) {
        return new QueueFullException("Job queue full", "the service already has " + maxQueued
                + " jobs queued or running, its limit (proxima.jobs.max-queued); retry later or cancel a job");
    }

    static QueueFullException owner(String owner, int maxActive) {
        return new QueueFullException("Job quota reached", "owner " + owner + " already has " + maxActive
                + " jobs queued or running, the quota (proxima.quotas.active-jobs-per-owner); retry later or "
                + "cancel one");
    }
}

package dev.proxima.job;

/** As many jobs are queued or running as proxima.jobs.max-queued allows (answered 429). */
public class QueueFullException extends RuntimeException {

    public QueueFullException(int maxQueued) {
        super("the service already has " + maxQueued + " jobs queued or running, its limit (proxima.jobs.max-queued); "
                + "retry later or cancel a job");
    }
}

package dev.proxima.job;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    /** The statuses of a job that is not finished: it counts against the queue limit and may still change. */
    public static final Set<JobStatus> ACTIVE = Collections.unmodifiableSet(EnumSet.of(QUEUED, RUNNING));

    public boolean isFinal() {
        return !ACTIVE.contains(this);
    }
}

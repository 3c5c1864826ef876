package dev.proxima.job;

import java.time.Duration;

/**
 * When a running job writes a checkpoint: every {@code checkpointEvery} iterations when the
 * request sets it, otherwise after the first iteration and then once {@code interval} has passed
 * since the last one. The final checkpoint is the runner's, whatever this says.
 */
final class CheckpointSchedule {

    private final Integer everyIterations;
    private final long intervalNanos;
    private boolean written;
    private long lastWrittenNanos;

    CheckpointSchedule(Integer everyIterations, Duration interval) {
        this.everyIterations = everyIterations;
        this.intervalNanos = interval.toNanos();
    }

    boolean due(int iteration, long nowNanos) {
        if (everyIterations != null) {
            return iteration % everyIterations == 0;
        }
        return !written || nowNanos - lastWrittenNanos >= intervalNanos;
    }

    void written(long nowNanos) {
        written = true;
        lastWrittenNanos = nowNanos;
    }
}

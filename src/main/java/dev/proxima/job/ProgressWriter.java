package dev.proxima.job;

import dev.proxima.ppo.IterationReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A running job's database writes, on a thread of their own so that training does not wait for
 * the database: each iteration's metric row and progress, and the checkpoints, written in the
 * order they were handed over. It writes at most every {@value #WRITE_INTERVAL_MILLIS} ms, what
 * piled up since together in one transaction (sooner for a {@link #flush} or a half-full
 * queue): a commit per iteration of a fast job cost its training about a tenth of its speed on
 * the H2 file database. After each write, and every {@value #CANCEL_POLL_MILLIS} ms while
 * nothing is written, it reads the job's cancel flag, which the training thread then reads from
 * memory (inside an iteration too).
 *
 * <p>The queue is bounded: a database slower than training slows training down instead of
 * filling the heap. A failed write fails the run at its next hand-over or at {@link #flush}.
 */
final class ProgressWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProgressWriter.class);
    private static final int CAPACITY = 1024;
    private static final long POLL_MILLIS = 100;
    static final long WRITE_INTERVAL_MILLIS = 200;
    /** How often the cancel flag is read while nothing is written. */
    static final long CANCEL_POLL_MILLIS = 500;

    /** What the thread writes: an iteration's row, a checkpoint, or a flush marker. */
    private record Write(IterationReport report, Checkpoint checkpoint, CountDownLatch flushed) {
    }

    private record Checkpoint(int iteration, long timesteps, Double episodeReturnMean, byte[] archive) {
    }

    private final UUID id;
    private final JobProgress progress;
    private final CheckpointWriter checkpoints;
    private final BlockingQueue<Write> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Thread thread;
    private final JobMeters meters;
    private volatile boolean cancelRequested;
    /** When the cancel flag was last read (writer thread only). */
    private long cancelReadAt = System.nanoTime();
    private volatile RuntimeException failure;
    private volatile boolean closed;
    /** Flushes waiting for the thread; it writes at once while there are any. */
    private final AtomicInteger flushesWaiting = new AtomicInteger();
    private final Object wake = new Object();

    ProgressWriter(UUID id, JobProgress progress, CheckpointWriter checkpoints, JobMeters meters) {
        this.id = id;
        this.meters = meters;
        this.progress = progress;
        this.checkpoints = checkpoints;
        this.thread = new Thread(this::writeUntilClosed, Thread.currentThread().getName() + "-progress");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues the iteration's metric row and progress (the report's policy is not kept). */
    void record(IterationReport report) {
        hand(new Write(new IterationReport(report.iteration(), report.timesteps(), report.elapsedSeconds(),
                report.metrics(), null), null, null));
    }

    /** Queues a checkpoint: the archive must be a snapshot, taken before training goes on. */
    void checkpoint(int iteration, long timesteps, Double episodeReturnMean, byte[] archive) {
        hand(new Write(null, new Checkpoint(iteration, timesteps, episodeReturnMean, archive), null));
    }

    /** Whether the job's cancel flag was set when it was last read, after the latest write. */
    boolean cancelRequested() {
        return cancelRequested;
    }

    /** Waits until everything handed over is written; rethrows a write's failure. */
    void flush() {
        CountDownLatch flushed = new CountDownLatch(1);
        flushesWaiting.incrementAndGet();
        try {
            hand(new Write(null, null, flushed));
            wakeUp();
            while (!flushed.await(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                throwIfFailed();
                if (!thread.isAlive()) {
                    throw new IllegalStateException("the progress writer of job " + id + " stopped");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the progress of job " + id, e);
        } finally {
            flushesWaiting.decrementAndGet();
        }
        throwIfFailed();
    }

    private void wakeUp() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** Waits out the write interval, unless a flush waits, the queue is half full or the writer closes. */
    private void pauseAfterWrite(long writeStartedNanos) throws InterruptedException {
        long deadline = writeStartedNanos + TimeUnit.MILLISECONDS.toNanos(WRITE_INTERVAL_MILLIS);
        synchronized (wake) {
            while (!closed && flushesWaiting.get() == 0 && queue.size() < CAPACITY / 2) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(wake, remaining);
            }
        }
    }

    private void hand(Write write) {
        throwIfFailed();
        try {
            while (!queue.offer(write, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                throwIfFailed();
                wakeUp();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing over the progress of job " + id, e);
        }
    }

    private void throwIfFailed() {
        if (failure != null) {
            throw failure;
        }
    }

    private void writeUntilClosed() {
        MDC.put(TrainingRunner.MDC_JOB_ID, id.toString());
        List<Write> batch = new ArrayList<>();
        try {
            while (!closed || !queue.isEmpty()) {
                Write first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    long started = System.nanoTime();
                    batch.add(first);
                    queue.drainTo(batch);
                    write(batch);
                    batch.clear();
                    pauseAfterWrite(started);
                } else if (System.nanoTime() - cancelReadAt > TimeUnit.MILLISECONDS.toNanos(CANCEL_POLL_MILLIS)) {
                    // a long iteration writes nothing for a while: the flag is read all the same;
                    // a failed read is tried again at the next poll, not a failed run
                    try {
                        readCancelFlag();
                    } catch (RuntimeException e) {
                        cancelReadAt = System.nanoTime();
                        log.warn("job {}: reading its cancel flag failed; trying again", id, e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void write(List<Write> batch) {
        List<IterationReport> reports = new ArrayList<>();
        for (Write write : batch) {
            if (write.report() != null) {
                reports.add(write.report());
                continue;
            }
            writeReports(reports);
            if (write.checkpoint() != null) {
                Checkpoint checkpoint = write.checkpoint();
                long start = System.nanoTime();
                checkpoints.write(id, checkpoint.iteration(), checkpoint.timesteps(), checkpoint.episodeReturnMean(),
                        checkpoint.archive());
                meters.checkpointWritten(checkpoint.archive().length, Duration.ofNanos(System.nanoTime() - start));
            } else {
                write.flushed().countDown();
            }
        }
        writeReports(reports);
        readCancelFlag();
    }

    private void readCancelFlag() {
        cancelRequested = progress.cancelRequested(id);
        cancelReadAt = System.nanoTime();
    }

    private void writeReports(List<IterationReport> reports) {
        if (!reports.isEmpty()) {
            progress.record(id, reports);
            reports.clear();
        }
    }

    /** Writes what is still queued, then stops the thread. */
    @Override
    public void close() {
        closed = true;
        wakeUp();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.proxima.job;

import dev.proxima.ProblemException;
import dev.proxima.access.Caller;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * GET /api/jobs/{id}/events: a job's metric points and status changes as Server-Sent Events.
 * Each {@code metric} event's id is its iteration, so a client that reconnects with
 * {@code Last-Event-ID} gets the points after it; a {@code status} event comes first and on
 * every change; the stream ends after the final status. Streams poll the database (every
 * {@link #POLL}), so they see jobs running on any instance; at most {@link #MAX_STREAMS} are open.
 */
@Component
public class JobEvents {

    static final Duration POLL = Duration.ofSeconds(1);
    static final int MAX_STREAMS = 64;
    private static final Duration STREAM_TIMEOUT = Duration.ofHours(1);
    private static final int POINTS_PER_POLL = 1000;

    private final JobService jobs;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "job-events");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger open = new AtomicInteger();

    JobEvents(JobService jobs) {
        this.jobs = jobs;
    }

    /** 404 for an unknown job or another owner's, before the stream opens. */
    public SseEmitter stream(UUID jobId, Caller caller, String lastEventId) {
        jobs.checkAccess(jobId, caller);
        int afterIteration = parseLastEventId(lastEventId);
        if (open.incrementAndGet() > MAX_STREAMS) {
            open.decrementAndGet();
            throw new TooManyStreamsException();
        }
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
        Stream stream = new Stream(jobId, caller, afterIteration, emitter);
        emitter.onCompletion(stream::stop);
        emitter.onTimeout(stream::stop);
        emitter.onError(error -> stream.stop());
        stream.future = poller.scheduleWithFixedDelay(stream::poll, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
        return emitter;
    }

    private static int parseLastEventId(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(lastEventId.strip()));
        } catch (NumberFormatException e) {
            return 0; // not one of ours: start from the beginning
        }
    }

    /** A {@code status} event's data. */
    record StatusEvent(JobStatus status, int iteration, long timesteps, Double episodeReturnMean,
            boolean cancelRequested, StopReason stopReason, String error) {
    }

    private final class Stream {
        private final UUID jobId;
        private final Caller caller;
        private final SseEmitter emitter;
        private int afterIteration;
        private String lastStatus;
        private volatile ScheduledFuture<?> future;
        private boolean stopped;

        Stream(UUID jobId, Caller caller, int afterIteration, SseEmitter emitter) {
            this.jobId = jobId;
            this.caller = caller;
            this.afterIteration = afterIteration;
            this.emitter = emitter;
        }

        void poll() {
            if (stopped) {
                future.cancel(false); // stopped before its first run had its future
                return;
            }
            try {
                JobResponse job = jobs.get(jobId, caller);
                MetricsResponse metrics = jobs.metrics(jobId, caller, afterIteration, POINTS_PER_POLL);
                for (MetricsResponse.Point point : metrics.points()) {
                    emitter.send(SseEmitter.event().name("metric").id(Integer.toString(point.iteration()))
                            .data(point, MediaType.APPLICATION_JSON));
                    afterIteration = point.iteration();
                }
                String status = job.status() + "/" + job.iteration() + "/" + job.cancelRequested();
                if (!status.equals(lastStatus)) {
                    lastStatus = status;
                    emitter.send(SseEmitter.event().name("status").data(new StatusEvent(job.status(), job.iteration(),
                            job.timesteps(), job.episodeReturnMean(), job.cancelRequested(), job.stopReason(),
                            job.error()), MediaType.APPLICATION_JSON));
                }
                if (job.status().isFinal() && metrics.points().size() < POINTS_PER_POLL) {
                    stop();
                    emitter.complete();
                }
            } catch (JobNotFoundException deleted) {
                stop();
                emitter.complete();
            } catch (IOException | IllegalStateException gone) {
                stop(); // the client went away
            } catch (RuntimeException e) {
                stop();
                emitter.completeWithError(e);
            }
        }

        synchronized void stop() {
            if (!stopped) {
                stopped = true;
                open.decrementAndGet();
                if (future != null) {
                    future.cancel(false);
                }
            }
        }
    }

    @PreDestroy
    void shutdown() {
        poller.shutdownNow();
    }

    static class TooManyStreamsException extends ProblemException {
        TooManyStreamsException() {
            super(HttpStatus.TOO_MANY_REQUESTS, "Too many event streams", MAX_STREAMS + " event streams are open; "
                    + "poll GET /api/jobs/{id}/metrics meanwhile");
            retryLater();
        }
    }
}

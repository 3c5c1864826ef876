package dev.proxima.job;

import dev.proxima.ppo.IterationReport;
import dev.proxima.ppo.PpoTrainer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The database side of a running job: one short transaction per state change or iteration. */
@Component
class JobProgress {

    private final JobRepository jobs;
    private final MetricPointRepository metrics;
    private final CheckpointWriter checkpoints;
    private final Clock clock;

    JobProgress(JobRepository jobs, MetricPointRepository metrics, CheckpointWriter checkpoints, Clock clock) {
        this.jobs = jobs;
        this.metrics = metrics;
        this.checkpoints = checkpoints;
        this.clock = clock;
    }

    /** What a run starts from: the job's effective request and, for a job that ran before, its newest checkpoint. */
    public record Start(JobRequest request, CheckpointWriter.Stored checkpoint) {
    }

    /**
     * Marks the job RUNNING and returns where it starts, or empty when there is nothing to run
     * (finished, or cancelled while queued). A job found RUNNING or requeued ran before: it
     * resumes from its newest checkpoint, the metrics of iterations after it removed so that the
     * history stays contiguous; without a resumable checkpoint it starts over.
     */
    @Transactional
    public Optional<Start> begin(UUID id) {
        Optional<TrainingJob> found = jobs.findById(id);
        if (found.isEmpty() || found.get().getStatus().isFinal()) {
            return Optional.empty();
        }
        if (found.get().isCancelRequested()) {
            jobs.finish(id, JobStatus.CANCELLED, StopReason.CANCELLED, null, clock.instant());
            return Optional.empty();
        }
        if (jobs.markRunning(id, clock.instant()) == 0) {
            return Optional.empty();
        }
        JobRequest request = found.get().getRequest();
        Optional<CheckpointWriter.Stored> newest = checkpoints.newest(id)
                .filter(stored -> PpoTrainer.canResumeFrom(stored.archive()));
        if (newest.isPresent()) {
            CheckpointWriter.Stored checkpoint = newest.get();
            metrics.deleteAfter(id, checkpoint.iteration());
            jobs.recordProgress(id, checkpoint.iteration(), checkpoint.timesteps(), checkpoint.episodeReturnMean());
            return Optional.of(new Start(request, checkpoint));
        }
        metrics.deleteByJobId(id);
        checkpoints.deleteAll(id);
        return Optional.of(new Start(request, null));
    }

    /** The metric rows of consecutive iterations, and the job's progress as of the last of them. */
    @Transactional
    public void record(UUID id, List<IterationReport> reports) {
        List<MetricPoint> points = new ArrayList<>(reports.size());
        for (IterationReport report : reports) {
            Map<String, Double> finite = new LinkedHashMap<>();
            // JSON has no NaN (explained variance of constant returns, say): such a metric is left out
            report.metrics().forEach((name, value) -> {
                if (value != null && Double.isFinite(value)) {
                    finite.put(name, value);
                }
            });
            points.add(new MetricPoint(id, report.iteration(), report.timesteps(), report.elapsedSeconds(), finite));
        }
        metrics.saveAll(points);
        IterationReport last = reports.get(reports.size() - 1);
        jobs.recordProgress(id, last.iteration(), last.timesteps(), last.episodeReturnMean());
    }

    @Transactional(readOnly = true)
    public boolean cancelRequested(UUID id) {
        return jobs.isCancelRequested(id);
    }

    @Transactional
    public void finish(UUID id, JobStatus status, StopReason stopReason, String error) {
        jobs.finish(id, status, stopReason, error, clock.instant());
    }

    /** Back to the queue (the instance is shutting down); it starts again on the next pick-up. */
    @Transactional
    public void requeue(UUID id) {
        jobs.requeue(id);
    }
}

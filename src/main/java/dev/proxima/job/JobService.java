package dev.proxima.job;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import dev.proxima.InvalidFieldException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class JobService {

    static final int MAX_METRIC_POINTS = 10_000;

    private final JobRepository jobs;
    private final MetricPointRepository metrics;
    private final SchedulerClient scheduler;
    private final Clock clock;
    private final ExternalEnvironments externalEnvironments;
    private final CheckpointWriter checkpoints;
    private final ApplicationEventPublisher events;
    @PersistenceContext
    private EntityManager entityManager;

    JobService(JobRepository jobs, MetricPointRepository metrics, SchedulerClient scheduler, Clock clock,
            ExternalEnvironments externalEnvironments, CheckpointWriter checkpoints, ApplicationEventPublisher events) {
        this.externalEnvironments = externalEnvironments;
        this.checkpoints = checkpoints;
        this.events = events;
        this.jobs = jobs;
        this.metrics = metrics;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public JobResponse get(UUID id) {
        return response(find(id));
    }

    @Transactional(readOnly = true)
    public Page<JobResponse> list(JobStatus status, Pageable pageable) {
        Page<TrainingJob> page = status == null ? jobs.findAll(pageable) : jobs.findByStatus(status, pageable);
        return page.map(this::response);
    }

    /**
     * A queued job is cancelled at once; a running one is flagged and stops at the end of its
     * current iteration, keeping its checkpoints.
     */
    @Transactional
    public JobResponse cancel(UUID id) {
        TrainingJob job = find(id);
        if (job.getStatus().isFinal()) {
            throw new JobConflictException("job " + id + " is already " + job.getStatus());
        }
        jobs.requestCancel(id);
        if (job.getStatus() == JobStatus.QUEUED) {
            jobs.finish(id, JobStatus.CANCELLED, StopReason.CANCELLED, null, clock.instant());
            externalEnvironments.close(id, true);
            try {
                scheduler.cancel(JobScheduling.TRAIN.instanceId(id.toString()));
            } catch (RuntimeException alreadyPickedOrGone) {
                // An instance is just starting it: begin() finds it CANCELLED and runs nothing.
            }
        }
        entityManager.clear();
        return response(find(id));
    }

    /**
     * Deletes a finished job with its metrics and checkpoints; 409 while it is queued or running
     * (cancel it first). Its policies stop answering at once here, and within
     * proxima.policies.refresh-interval on other instances.
     */
    @Transactional
    public void delete(UUID id) {
        TrainingJob job = find(id);
        if (!job.getStatus().isFinal()) {
            throw new JobConflictException("job " + id + " is " + job.getStatus() + "; cancel it before deleting it");
        }
        checkpoints.deleteAll(id);
        metrics.deleteByJobId(id);
        jobs.delete(job);
        events.publishEvent(new JobDeleted(id));
    }

    /** Up to {@code limit} metric points after {@code afterIteration}, ascending. */
    @Transactional(readOnly = true)
    public MetricsResponse metrics(UUID id, int afterIteration, int limit) {
        if (!jobs.existsById(id)) {
            throw new JobNotFoundException(id);
        }
        if (limit < 1 || limit > MAX_METRIC_POINTS) {
            throw new InvalidFieldException("limit", "must be in [1, " + MAX_METRIC_POINTS + "], was " + limit);
        }
        var points = metrics.findByJobIdAndIterationGreaterThanOrderByIterationAsc(id, afterIteration, Limit.of(limit))
                .stream()
                .map(p -> new MetricsResponse.Point(p.getIteration(), p.getTimesteps(), p.getElapsedSeconds(),
                        p.getMetrics()))
                .toList();
        return new MetricsResponse(id, points);
    }

    /** The job's status alone (cheap: no request JSON parsed). */
    @Transactional(readOnly = true)
    public JobStatus status(UUID id) {
        return jobs.findStatus(id).orElseThrow(() -> new JobNotFoundException(id));
    }

    TrainingJob find(UUID id) {
        return jobs.findById(id).orElseThrow(() -> new JobNotFoundException(id));
    }

    JobResponse response(TrainingJob job) {
        return response(job, null);
    }

    JobResponse response(TrainingJob job, String runnerToken) {
        boolean external = job.getRequest().environment().isExternal();
        return JobResponse.of(job, runnerToken, external ? externalEnvironments.runners(job.getId()) : null);
    }

}

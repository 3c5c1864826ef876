package dev.proxima.job;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import dev.proxima.access.Caller;
import dev.proxima.InvalidFieldException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
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
    /** Job id to owner (an owner never changes), so that every /act can check it without a query. */
    private final Cache<UUID, String> owners = Caffeine.newBuilder().maximumSize(20_000).build();

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
    public JobResponse get(UUID id, Caller caller) {
        return response(find(id, caller));
    }

    /**
     * The caller's jobs; an admin's list holds every owner's, or {@code owner}'s alone when given
     * (for anyone else, another owner's filter matches nothing).
     */
    @Transactional(readOnly = true)
    public Page<JobResponse> list(Caller caller, String owner, JobStatus status, Pageable pageable) {
        if (!caller.isAdmin() && owner != null && !owner.equals(caller.owner())) {
            return Page.empty(pageable);
        }
        String listed = caller.isAdmin() ? owner : caller.owner();
        Page<TrainingJob> page;
        if (listed == null) {
            page = status == null ? jobs.findAll(pageable) : jobs.findByStatus(status, pageable);
        } else {
            page = status == null ? jobs.findByOwner(listed, pageable) : jobs.findByOwnerAndStatus(listed, status, pageable);
        }
        return page.map(this::response);
    }

    /**
     * 404 unless the job exists and the caller may see it (its owner, or an admin): another
     * owner's job is answered as a missing one, so ids tell nothing.
     */
    public void checkAccess(UUID id, Caller caller) {
        String owner = owners.get(id, missing -> jobs.findOwner(missing).orElse(null));
        if (owner == null || !caller.mayAccess(owner)) {
            throw new JobNotFoundException(id);
        }
    }

    @EventListener
    void forgetOwner(JobDeleted deleted) {
        owners.invalidate(deleted.jobId());
    }

    /**
     * A queued job is cancelled at once; a running one is flagged and stops at the end of its
     * current iteration, keeping its checkpoints.
     */
    @Transactional
    public JobResponse cancel(UUID id, Caller caller) {
        TrainingJob job = find(id, caller);
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
    public void delete(UUID id, Caller caller) {
        TrainingJob job = find(id, caller);
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
    public MetricsResponse metrics(UUID id, Caller caller, int afterIteration, int limit) {
        checkAccess(id, caller);
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

    private TrainingJob find(UUID id, Caller caller) {
        TrainingJob job = find(id);
        if (!caller.mayAccess(job.getOwner())) {
            throw new JobNotFoundException(id);
        }
        return job;
    }

    JobResponse response(TrainingJob job) {
        return response(job, null);
    }

    JobResponse response(TrainingJob job, String runnerToken) {
        boolean external = job.getRequest().environment().isExternal();
        return JobResponse.of(job, runnerToken, external ? externalEnvironments.runners(job.getId()) : null);
    }

}

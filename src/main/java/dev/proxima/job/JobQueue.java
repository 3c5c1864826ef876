package dev.proxima.job;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import java.time.Clock;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Admits jobs: while fewer than {@code proxima.jobs.max-queued} are queued or running (and fewer
 * than {@code proxima.quotas.active-jobs-per-owner} of the submitter's), stores the
 * job as QUEUED and puts it in db-scheduler's queue, in one transaction. The count and the insert
 * happen under the submission lock (a row every instance locks), so the limit holds exactly under
 * concurrent submissions.
 */
@Component
class JobQueue {

    private final JobRepository jobs;
    private final SchedulerClient scheduler;
    private final Clock clock;
    private final int maxQueued;
    private final int maxActivePerOwner;

    JobQueue(JobRepository jobs, SchedulerClient scheduler, Clock clock,
            @Value("${proxima.jobs.max-queued:100}") int maxQueued,
            @Value("${proxima.quotas.active-jobs-per-owner:10}") int maxActivePerOwner) {
        if (maxQueued < 1) {
            throw new IllegalArgumentException("proxima.jobs.max-queued must be >= 1, was " + maxQueued);
        }
        this.jobs = jobs;
        this.scheduler = scheduler;
        this.clock = clock;
        this.maxQueued = maxQueued;
        this.maxActivePerOwner = maxActivePerOwner;
    }

    /**
     * @param runnerTokenHash an external job's hashed runner token, else null
     * @param key the submission's idempotency key, or null; a key already stored fails the insert
     *     with a DataIntegrityViolationException (the unique index decides between racing retries)
     * @throws QueueFullException when the queue is full
     */
    @Transactional
    public TrainingJob enqueue(JobRequest request, IdempotencyKey key, String runnerTokenHash, String owner) {
        // counting and inserting under one lock: concurrent submissions cannot all see room for one more
        jobs.lockSubmissions();
        if (jobs.countByStatusIn(JobStatus.ACTIVE) >= maxQueued) {
            throw QueueFullException.service(maxQueued);
        }
        if (jobs.countByOwnerAndStatusIn(owner, JobStatus.ACTIVE) >= maxActivePerOwner) {
            throw QueueFullException.owner(owner, maxActivePerOwner);
        }
        String environmentId = request.environment().isExternal() ? ExternalEnvironment.ID : request.environment().id();
        TrainingJob job = new TrainingJob(UUID.randomUUID(), request.name(), environmentId,
                request.totalTimesteps(), request, key, runnerTokenHash, owner, clock.instant());
        jobs.saveAndFlush(job);
        String id = job.getId().toString();
        scheduler.scheduleIfNotExists(JobScheduling.TRAIN.instance(id).data(id).scheduledTo(clock.instant()));
        return job;
    }
}

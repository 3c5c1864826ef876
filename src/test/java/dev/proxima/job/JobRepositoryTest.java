package dev.proxima.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.orm.jpa.DataJpaTest;
import org.springframework.boot.test.autoconfigure.orm.jpa.TestEntityManager;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/**
 * The job table's queries on the migrated schema: listing by status filters and pages, and the
 * guarded updates change active jobs (QUEUED, RUNNING) only, never a finished one.
 */
@DataJpaTest
class JobRepositoryTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Autowired
    JobRepository jobs;

    @Autowired
    TestEntityManager entities;

    /** A stored job in the given status, created {@code minute} minutes after NOW. */
    private UUID job(JobStatus status, int minute) {
        UUID id = UUID.randomUUID();
        jobs.saveAndFlush(new TrainingJob(id, "job-" + minute, "CartPole-v1", 64, "{}", null, NOW.plusSeconds(60L * minute)));
        switch (status) {
            case QUEUED -> { }
            case RUNNING -> jobs.markRunning(id, NOW);
            case SUCCEEDED -> jobs.finish(id, status, StopReason.TOTAL_TIMESTEPS, null, NOW);
            case FAILED -> jobs.finish(id, status, StopReason.ERROR, "boom", NOW);
            case CANCELLED -> jobs.finish(id, status, StopReason.CANCELLED, null, NOW);
        }
        entities.clear();
        assertThat(jobs.findStatus(id)).contains(status);
        return id;
    }

    @Test
    void listingByStatusFiltersAndPages() {
        UUID queued = job(JobStatus.QUEUED, 0);
        UUID running = job(JobStatus.RUNNING, 1);
        UUID older = job(JobStatus.SUCCEEDED, 2);
        UUID failed = job(JobStatus.FAILED, 3);
        UUID newer = job(JobStatus.SUCCEEDED, 4);
        UUID cancelled = job(JobStatus.CANCELLED, 5);
        Sort newestFirst = Sort.by(Sort.Direction.DESC, "createdAt");

        Page<TrainingJob> succeeded = jobs.findByStatus(JobStatus.SUCCEEDED, PageRequest.of(0, 20, newestFirst));
        assertThat(succeeded.getContent()).extracting(TrainingJob::getId).containsExactly(newer, older);
        assertThat(succeeded.getContent()).extracting(TrainingJob::getStatus).containsOnly(JobStatus.SUCCEEDED);
        assertThat(jobs.findByStatus(JobStatus.RUNNING, PageRequest.of(0, 20)).getContent())
                .extracting(TrainingJob::getId).containsExactly(running);
        assertThat(jobs.findByStatus(JobStatus.CANCELLED, PageRequest.of(0, 20)).getContent())
                .extracting(TrainingJob::getId).containsExactly(cancelled);
        assertThat(jobs.findByStatus(JobStatus.FAILED, PageRequest.of(0, 20)).getContent())
                .extracting(TrainingJob::getId).containsExactly(failed);

        Page<TrainingJob> secondOfTwo = jobs.findByStatus(JobStatus.SUCCEEDED, PageRequest.of(1, 1, newestFirst));
        assertThat(secondOfTwo.getContent()).extracting(TrainingJob::getId).containsExactly(older);
        assertThat(secondOfTwo.getTotalElements()).isEqualTo(2);
        assertThat(secondOfTwo.getTotalPages()).isEqualTo(2);
        assertThat(jobs.findAll(PageRequest.of(0, 20)).getTotalElements()).isEqualTo(6);
        assertThat(queued).isNotNull();
    }

    @Test
    void onlyActiveJobsCountAgainstTheQueueAndChange() {
        UUID queued = job(JobStatus.QUEUED, 0);
        UUID running = job(JobStatus.RUNNING, 1);
        UUID succeeded = job(JobStatus.SUCCEEDED, 2);
        job(JobStatus.FAILED, 3);
        job(JobStatus.CANCELLED, 4);
        assertThat(jobs.countByStatusIn(JobStatus.ACTIVE)).isEqualTo(2);

        // a finished job keeps its final status and is not flagged or restarted
        assertThat(jobs.finish(succeeded, JobStatus.FAILED, StopReason.ERROR, "late", NOW)).isZero();
        assertThat(jobs.requestCancel(succeeded)).isZero();
        assertThat(jobs.markRunning(succeeded, NOW)).isZero();
        entities.clear();
        TrainingJob finished = jobs.findById(succeeded).orElseThrow();
        assertThat(finished.getStatus()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(finished.getError()).isNull();
        assertThat(finished.isCancelRequested()).isFalse();

        // active jobs are
        assertThat(jobs.requestCancel(queued)).isEqualTo(1);
        assertThat(jobs.requestCancel(running)).isEqualTo(1);
        assertThat(jobs.markRunning(queued, NOW)).isEqualTo(1);
        assertThat(jobs.finish(running, JobStatus.CANCELLED, StopReason.CANCELLED, null, NOW)).isEqualTo(1);
        entities.clear();
        assertThat(jobs.isCancelRequested(queued)).isTrue();
        assertThat(jobs.findStatus(queued)).contains(JobStatus.RUNNING);
        assertThat(jobs.findStatus(running)).contains(JobStatus.CANCELLED);
        assertThat(jobs.countByStatusIn(JobStatus.ACTIVE)).isEqualTo(1);
    }
}

package dev.proxima.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.json.AutoConfigureJson;
import org.springframework.boot.test.autoconfigure.orm.jpa.DataJpaTest;
import org.springframework.boot.test.autoconfigure.orm.jpa.TestEntityManager;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The job table's queries on the migrated schema: listing by status filters and pages, and the
 * guarded updates change active jobs (QUEUED, RUNNING) only, never a finished one.
 */
@DataJpaTest
@AutoConfigureJson
class JobRepositoryTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final JobRequest REQUEST = new JobRequest("job", new JobRequest.EnvironmentRequest("CartPole-v1", null, 1),
            64L, 1L, null, null, null);

    @Autowired
    JobRepository jobs;

    @Autowired
    TestEntityManager entities;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ObjectMapper json;

    @Autowired
    MetricPointRepository metrics;

    /** A stored job in the given status, created {@code minute} minutes after NOW. */
    private UUID job(JobStatus status, int minute) {
        UUID id = UUID.randomUUID();
        jobs.saveAndFlush(new TrainingJob(id, "job-" + minute, "CartPole-v1", 64, REQUEST, null, null, "admin",
                NOW.plusSeconds(60L * minute)));
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

    /** The JSON columns hold the text the application's ObjectMapper writes, and rows written so before read back. */
    @Test
    void jsonColumnsAreTheObjectMappersText() throws Exception {
        JobRequest request = new JobRequest("json", new JobRequest.EnvironmentRequest("CartPole-v1", null, 2), 2048L, 7L,
                Hyperparameters.defaults(), new JobRequest.StopWhen(475.0, null), 3);
        UUID id = UUID.randomUUID();
        jobs.saveAndFlush(new TrainingJob(id, "json", "CartPole-v1", 2048, request, null, null, "admin", NOW));
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("time/total_timesteps", 1536.0);
        values.put("rollout/ep_rew_mean", 21.5);
        metrics.saveAndFlush(new MetricPoint(id, 1, 1536, 0.5, values));
        entities.clear();

        assertThat(jdbc.queryForObject("select request_json from training_job where id = ?", String.class, id))
                .isEqualTo(json.writeValueAsString(request));
        assertThat(jdbc.queryForObject("select metrics_json from metric_point where job_id = ?", String.class, id))
                .isEqualTo("{\"time/total_timesteps\":1536.0,\"rollout/ep_rew_mean\":21.5}");
        assertThat(jobs.findById(id).orElseThrow().getRequest()).usingRecursiveComparison().isEqualTo(request);
        assertThat(metrics.findById(new MetricPoint.Key(id, 1)).orElseThrow().getMetrics()).isEqualTo(values);

        // a row as JobRequestJson wrote it before the column mapping
        UUID old = UUID.randomUUID();
        jdbc.update("insert into training_job (id, name, status, environment_id, total_timesteps, timesteps, iteration, "
                + "cancel_requested, request_json, created_at) values (?, 'old', 'SUCCEEDED', 'CartPole-v1', 64, 64, 1, "
                + "false, ?, current_timestamp)", old, "{\"name\":\"old\",\"environment\":{\"id\":\"CartPole-v1\","
                + "\"numEnvs\":1},\"totalTimesteps\":64,\"seed\":5}");
        assertThat(jobs.findById(old).orElseThrow().getRequest())
                .isEqualTo(new JobRequest("old", new JobRequest.EnvironmentRequest("CartPole-v1", null, 1), 64L, 5L, null, null,
                        null));
    }
}

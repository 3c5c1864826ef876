package dev.proxima.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proxima.support.Api;
import dev.proxima.support.Postgres;
import dev.proxima.support.PostgresTest;
import dev.proxima.support.PostgresTestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** {@link JobLifecycleTest}'s jobs, metrics, cancellation and /act, with the service on PostgreSQL. */
@PostgresTest
class PostgresJobLifecycleTest extends JobLifecycleTest {

    @Autowired
    DataSource dataSource;

    @Autowired
    JobRepository jobs;

    @Autowired
    ObjectMapper json;

    @Test
    void jobsMetricsAndCheckpointsAreRowsOfItsPostgresDatabase() throws Exception {
        Postgres.Database database = PostgresTestDatabase.of(getClass());
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
            assertThat(connection.getCatalog()).isEqualTo(database.name());
        }
        assertThat(database.queryForObject(
                "select string_agg(version, ',' order by installed_rank) from flyway_schema_history where success"))
                .isEqualTo("1,2,3,4,5,6,7");

        Api api = new Api(port);
        String id = api.post("/api/jobs", """
                {"name":"on postgres: é ✓ 🚀","environment":{"id":"CartPole-v1","numEnvs":2},"totalTimesteps":512,"seed":1,
                 "hyperparameters":{"nSteps":64,"batchSize":64,"nEpochs":1}}""").body().get("id").asText();
        JsonNode job = api.awaitJob(id, Api::finished, Duration.ofSeconds(60));
        assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");

        String where = " where job_id = '" + id + "'";
        assertThat(database.queryForObject("select name || ' ' || status from training_job where id = '" + id + "'"))
                .isEqualTo("on postgres: é ✓ 🚀 SUCCEEDED");
        // timestamps are instants: what the API says is what PostgreSQL holds, to the microsecond
        Instant createdAt = Instant.parse(job.get("createdAt").asText());
        assertThat(database.queryForLong("select (extract(epoch from created_at) * 1000000)::bigint "
                + "from training_job where id = '" + id + "'"))
                .isEqualTo(createdAt.getEpochSecond() * 1_000_000 + createdAt.getNano() / 1000);
        assertThat(database.queryForLong("select count(*) from metric_point" + where)).isEqualTo(4);
        assertThat(database.queryForLong("select max(iteration) from policy_checkpoint" + where)).isEqualTo(4);
        assertThat(database.queryForLong("select count(*) from policy_checkpoint" + where
                + " and octet_length(policy_archive) = size_bytes and size_bytes > 1000")).isPositive();
        // the JSON columns hold the ObjectMapper's text (varchar, not a jsonb value's normalised rendering)
        assertThat(database.queryForObject("select request_json from training_job where id = '" + id + "'"))
                .isEqualTo(json.writeValueAsString(jobs.findById(UUID.fromString(id)).orElseThrow().getRequest()));
        assertThat((String) database.queryForObject("select metrics_json from metric_point" + where + " and iteration = 1"))
                .startsWith("{\"").doesNotContain("\": ").doesNotContain(", \"");
        // a finished one-time task leaves the scheduler's table
        assertThat(database.queryForLong("select count(*) from scheduled_tasks where task_instance = '" + id + "'"))
                .isZero();
    }

    @Test
    void aNameWithNulIsRejectedNotAServerError() {
        // PostgreSQL's text types cannot store U+0000 (H2's can): it is refused before it reaches the database
        Api.Response response = new Api(port).post("/api/jobs",
                "{\"name\":\"a\\u0000b\",\"environment\":{\"id\":\"CartPole-v1\"}}");
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.body().get("field").asText()).isEqualTo("name");
    }
}

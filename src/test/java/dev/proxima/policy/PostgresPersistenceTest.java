package dev.proxima.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxima.support.Postgres;
import dev.proxima.support.PostgresTest;
import dev.proxima.support.PostgresTestDatabase;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.jdbc.AutoConfigureTestDatabase;
import org.springframework.boot.test.autoconfigure.json.AutoConfigureJson;
import org.springframework.boot.test.autoconfigure.orm.jpa.DataJpaTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The schema on PostgreSQL: Flyway's migrations as they are, Hibernate's mappings validated against
 * them (ddl-auto=validate fails the context on a mismatch, such as a checkpoint mapped to an oid),
 * db-scheduler's table as its PostgreSQL schema has it, and checkpoints stored as bytea bytes.
 * A JPA slice on the class's own database (no embedded replacement); the checkpoint store commits
 * its own transactions, so that the checks over JDBC see its rows.
 */
@PostgresTest
@DataJpaTest(properties = "spring.jpa.hibernate.ddl-auto=validate")
@AutoConfigureJson
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
@Import({CheckpointStore.class, PostgresPersistenceTest.SystemClock.class})
class PostgresPersistenceTest {

    @TestConfiguration
    static class SystemClock {
        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }
    }

    @Autowired
    CheckpointStore checkpoints;

    @Test
    void columnsHaveThePostgresTypesTheMappingsAndDbSchedulerExpect() {
        Postgres.Database database = PostgresTestDatabase.of(getClass());
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("policy_checkpoint.policy_archive", "bytea");
        expected.put("policy_checkpoint.created_at", "timestamp with time zone");
        expected.put("training_job.id", "uuid");
        expected.put("training_job.created_at", "timestamp with time zone");
        expected.put("training_job.request_json", "character varying(1000000)");
        expected.put("training_job.runner_token_hash", "character varying(64)");
        expected.put("training_job.started_at", "timestamp with time zone");
        expected.put("training_job.finished_at", "timestamp with time zone");
        expected.put("metric_point.job_id", "uuid");
        // db-scheduler's PostgreSQL schema (text there: unbounded varchar here, the same on PostgreSQL)
        expected.put("scheduled_tasks.task_name", "character varying()");
        expected.put("scheduled_tasks.task_instance", "character varying()");
        expected.put("scheduled_tasks.task_data", "bytea");
        expected.put("scheduled_tasks.execution_time", "timestamp with time zone");
        expected.put("scheduled_tasks.picked", "boolean");
        expected.put("scheduled_tasks.picked_by", "character varying()");
        expected.put("scheduled_tasks.last_success", "timestamp with time zone");
        expected.put("scheduled_tasks.last_failure", "timestamp with time zone");
        expected.put("scheduled_tasks.consecutive_failures", "integer");
        expected.put("scheduled_tasks.last_heartbeat", "timestamp with time zone");
        expected.put("scheduled_tasks.version", "bigint");
        expected.put("scheduled_tasks.priority", "smallint");
        expected.forEach((column, type) -> {
            String[] tableAndColumn = column.split("\\.");
            Object actual = database.queryForObject("select data_type || case when data_type = 'character varying' "
                    + "then '(' || coalesce(character_maximum_length::text, '') || ')' else '' end "
                    + "from information_schema.columns where table_schema = current_schema() "
                    + "and table_name = '" + tableAndColumn[0] + "' and column_name = '" + tableAndColumn[1] + "'");
            assertThat(actual).as(column).isEqualTo(type);
        });
        // every timestamp of ours is an instant (Flyway's own history table aside)
        assertThat(database.queryForObject("select string_agg(table_name || '.' || column_name, ', ') "
                + "from information_schema.columns where table_schema = current_schema() "
                + "and data_type = 'timestamp without time zone' and table_name <> 'flyway_schema_history'")).isNull();
        assertThat(database.queryForObject("select string_agg(version || ' ' || description, ', ' order by installed_rank) "
                + "from flyway_schema_history where success")).isEqualTo("1 jobs metrics checkpoints, 2 postgres portability, 3 checkpoint best and idempotency, "
                        + "4 external environments, 5 submission lock, 6 api keys and owners, 7 evaluations");
    }

    @Test
    void checkpointArchivesRoundTripByteForByteAsBytea() throws Exception {
        Postgres.Database database = PostgresTestDatabase.of(getClass());
        UUID job = UUID.randomUUID();
        database.queryForObject("insert into training_job (id, name, status, environment_id, total_timesteps, "
                + "timesteps, iteration, cancel_requested, request_json, created_at) values ('" + job
                + "', 'checkpoints', 'RUNNING', 'CartPole-v1', 1000, 0, 0, false, '{}', now()) returning id");
        Random random = new Random(7);
        byte[][] archives = new byte[5][];
        Instant before = Instant.now();
        for (int i = 0; i < archives.length; i++) {
            // every byte value, then random bytes: up to 3 MB, as big as a large network's archive
            archives[i] = new byte[256 + (i == archives.length - 1 ? 3_000_000 : random.nextInt(50_000))];
            for (int b = 0; b < 256; b++) {
                archives[i][b] = (byte) b;
            }
            byte[] rest = new byte[archives[i].length - 256];
            random.nextBytes(rest);
            System.arraycopy(rest, 0, archives[i], 256, rest.length);
            checkpoints.write(job, i + 1, 64L * (i + 1), i == 0 ? null : 10.0 * i, archives[i]);
        }
        Instant after = Instant.now();

        CheckpointInfo latest = checkpoints.latest(job).orElseThrow();
        assertThat(latest.iteration()).isEqualTo(5);
        assertThat(latest.timesteps()).isEqualTo(320);
        assertThat(checkpoints.archive(latest)).isEqualTo(archives[4]);
        // the newest three are kept; the bytes in the database are the archive's own
        String where = " from policy_checkpoint where job_id = '" + job + "'";
        assertThat(database.queryForObject("select string_agg(iteration::text, ',' order by iteration)" + where))
                .isEqualTo("3,4,5");
        for (int iteration = 3; iteration <= 5; iteration++) {
            byte[] archive = archives[iteration - 1];
            String row = where + " and iteration = " + iteration;
            assertThat(database.queryForObject("select pg_typeof(policy_archive)::text" + row)).isEqualTo("bytea");
            assertThat(database.queryForLong("select octet_length(policy_archive)" + row)).isEqualTo(archive.length);
            assertThat(database.queryForLong("select size_bytes" + row)).isEqualTo(archive.length);
            assertThat(database.queryForObject("select md5(policy_archive)" + row))
                    .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(archive)));
        }
        assertThat(database.queryForLong("select count(*) from pg_largeobject_metadata")).isZero();
        // created_at is the instant of writing, whatever the session's time zone
        long createdMicros = database.queryForLong(
                "select (extract(epoch from min(created_at)) * 1000000)::bigint" + where);
        assertThat(createdMicros).isBetween(micros(before) - 1, micros(after) + 1);

        checkpoints.deleteAll(job);
        assertThat(checkpoints.latest(job)).isEmpty();
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
    }
}

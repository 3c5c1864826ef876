package dev.proxima.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxima.support.Postgres;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link RestartPersistenceTest} with both runs of the service on one PostgreSQL database (the
 * postgres profile): jobs, metric history, checkpoints and the queue survive a restart there too.
 */
class PostgresRestartPersistenceTest extends RestartPersistenceTest {

    private Postgres.Database database;

    @BeforeEach
    void createDatabase() {
        database = Postgres.createDatabase();
    }

    @AfterEach
    void dropDatabase() {
        if (database != null) { // null: no server, the test was skipped
            database.close();
        }
    }

    /** What the API read back came from this database: its rows are there, as they should be. */
    @Override
    protected void assertStoredRows() {
        assertThat(database.queryForLong("select count(*) from training_job")).isEqualTo(1);
        assertThat(database.queryForObject("select status from training_job")).isEqualTo("SUCCEEDED");
        assertThat(database.queryForLong("select count(*) from metric_point"))
                .isEqualTo(database.queryForLong("select iteration from training_job"));
        assertThat(database.queryForLong("select count(*) from policy_checkpoint "
                + "where octet_length(policy_archive) = size_bytes and size_bytes > 1000")).isPositive();
        // checkpoints are bytea values, not large objects (Hibernate's @Lob would make them oids)
        assertThat(database.queryForLong("select count(*) from pg_largeobject_metadata")).isZero();
        assertThat(database.queryForLong("select count(*) from scheduled_tasks")).isZero();
        // the second start validated the migrations and applied none again
        assertThat(database.queryForLong("select count(*) from flyway_schema_history")).isEqualTo(7);
    }

    @Override
    protected List<String> profiles() {
        return List.of("test", "postgres");
    }

    @Override
    protected List<String> databaseArguments() {
        return database.springArguments();
    }
}

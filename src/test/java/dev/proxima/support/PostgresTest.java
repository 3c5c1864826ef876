package dev.proxima.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextCustomizerFactories;
import org.springframework.test.context.TestExecutionListeners;

/**
 * Runs a Spring test class's application context on PostgreSQL: the {@code postgres} profile, on a
 * database of its own that {@link Postgres} creates before the class and drops after it (the
 * context is closed first). See {@link Postgres} for which server, and for when there is none.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ActiveProfiles({"test", "postgres"})
@DirtiesContext
@TestExecutionListeners(listeners = PostgresTestDatabase.class,
        mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
@ContextCustomizerFactories(PostgresTestDatabase.class)
public @interface PostgresTest {
}

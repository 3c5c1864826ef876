package dev.proxima.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.opentest4j.TestAbortedException;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * {@link PostgresTest}'s machinery: a database per test class, created before the class and
 * dropped after it, once the class's context is closed; and the datasource properties that point
 * the context at it. Without a server the class fails under CI, and elsewhere each of its tests is
 * skipped, with the reason, before any context loads.
 */
public class PostgresTestDatabase implements TestExecutionListener, ContextCustomizerFactory, Ordered {

    private static final Map<Class<?>, Postgres.Database> DATABASES = new ConcurrentHashMap<>();
    private static final Map<Class<?>, TestAbortedException> SKIPPED = new ConcurrentHashMap<>();

    /** The database of a {@link PostgresTest} class, for the test's own checks. */
    public static Postgres.Database of(Class<?> testClass) {
        Postgres.Database database = DATABASES.get(testClass);
        if (database == null) {
            throw new IllegalStateException(testClass.getName() + " has no PostgreSQL database: is it @PostgresTest?");
        }
        return database;
    }

    /** First before the class, last after it: after DirtiesContext's listener has closed the context. */
    @Override
    public int getOrder() {
        return 100;
    }

    @Override
    public void beforeTestClass(TestContext testContext) {
        try {
            DATABASES.computeIfAbsent(testContext.getTestClass(), testClass -> Postgres.createDatabase());
        } catch (TestAbortedException noServer) {
            // skipped test by test (reported as skipped, with the reason), before the context loads
            SKIPPED.put(testContext.getTestClass(), noServer);
        }
    }

    @Override
    public void prepareTestInstance(TestContext testContext) {
        TestAbortedException noServer = SKIPPED.get(testContext.getTestClass());
        if (noServer != null) {
            throw new TestAbortedException(noServer.getMessage());
        }
    }

    @Override
    public void afterTestClass(TestContext testContext) {
        SKIPPED.remove(testContext.getTestClass());
        Postgres.Database database = DATABASES.remove(testContext.getTestClass());
        if (database != null) {
            database.close();
        }
    }

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        return new DatasourceCustomizer(testClass);
    }

    /** Puts the context on its test class's database, above every other property source (equal per class). */
    private record DatasourceCustomizer(Class<?> testClass) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            Postgres.Database database = of(testClass);
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("postgres-test-database",
                    Map.of("spring.datasource.url", database.url(),
                            "spring.datasource.username", database.username(),
                            "spring.datasource.password", database.password())));
        }
    }
}

package dev.proxima.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The jobs' Micrometer meters: jobs by status (from the database, so every instance reports the
 * same; counted at most once per {@link #COUNT_TTL}), attached runners on this instance, and what
 * this instance trains: iterations, environment steps and iteration durations, by environment.
 */
@Component
public class JobMeters implements MeterBinder {

    private static final Duration COUNT_TTL = Duration.ofSeconds(5);

    private final JobRepository jobs;
    private final ExternalEnvironments externalEnvironments;
    private MeterRegistry registry;
    private Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
    private long countedAtNanos = Long.MIN_VALUE;

    JobMeters(JobRepository jobs, ExternalEnvironments externalEnvironments) {
        this.jobs = jobs;
        this.externalEnvironments = externalEnvironments;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        for (JobStatus status : JobStatus.values()) {
            Gauge.builder("proxima.jobs", this, meters -> meters.count(status)).tag("status", status.name())
                    .description("Jobs in each status, on all instances").register(registry);
        }
        Gauge.builder("proxima.runners.attached", externalEnvironments, ExternalEnvironments::attachedRunners)
                .description("Runners attached to external jobs running on this instance").register(registry);
    }

    /** One iteration trained on this instance. */
    void iteration(String environment, long environmentSteps, Duration took) {
        if (registry == null) {
            return;
        }
        Counter.builder("proxima.training.iterations").tag("environment", environment)
                .description("PPO iterations trained on this instance").register(registry).increment();
        Counter.builder("proxima.training.env.steps").tag("environment", environment)
                .description("Environment steps collected on this instance").register(registry)
                .increment(environmentSteps);
        Timer.builder("proxima.training.iteration").tag("environment", environment)
                .description("One PPO iteration: the rollout and the update").publishPercentileHistogram()
                .register(registry).record(took);
    }

    /** One checkpoint stored, with its commit. */
    void checkpointWritten(int bytes, Duration took) {
        if (registry == null) {
            return;
        }
        Timer.builder("proxima.checkpoint.write").description("Storing one checkpoint, with its commit")
                .register(registry).record(took);
        DistributionSummary.builder("proxima.checkpoint.size").baseUnit("bytes")
                .description("The size of a stored checkpoint").register(registry).record(bytes);
    }

    private synchronized double count(JobStatus status) {
        long now = System.nanoTime();
        if (countedAtNanos == Long.MIN_VALUE || now - countedAtNanos > COUNT_TTL.toNanos()) {
            Map<JobStatus, Long> fresh = new EnumMap<>(JobStatus.class);
            for (Object[] row : jobs.countByStatus()) {
                fresh.put((JobStatus) row[0], (Long) row[1]);
            }
            counts = fresh;
            countedAtNanos = now;
        }
        return counts.getOrDefault(status, 0L);
    }
}

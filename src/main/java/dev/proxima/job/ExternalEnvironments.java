package dev.proxima.job;

import dev.proxima.vecenv.ExternalVecEnv;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The external environments of the jobs running on this instance: a job's trainer and its
 * runners' calls meet in one {@link ExternalVecEnv}, whichever of them comes first.
 */
@Component
public class ExternalEnvironments {

    /** A job's environment and the seed its copies' seeds derive from. */
    public record Opened(ExternalVecEnv env, long seed) {
    }

    private final ConcurrentMap<UUID, Opened> byJob = new ConcurrentHashMap<>();
    private final ExternalVecEnv.Settings settings;
    private final JobRequests requests;
    private final JobRepository jobs;
    private final Clock clock;

    ExternalEnvironments(JobRequests requests, JobRepository jobs, Clock clock,
            @Value("${proxima.runners.lease:60s}") Duration lease,
            @Value("${proxima.runners.poll:10s}") Duration poll,
            @Value("${proxima.runners.abandon-after:10m}") Duration abandonAfter) {
        this.requests = requests;
        this.jobs = jobs;
        this.clock = clock;
        this.settings = new ExternalVecEnv.Settings(lease, poll, abandonAfter);
    }

    /** The job's environment, created on first use (by its trainer or its first runner). */
    ExternalVecEnv open(UUID jobId, JobRequest request) {
        return byJob.computeIfAbsent(jobId, id -> opened(request)).env();
    }

    /**
     * For a runner: the environment of an external job that has not finished, created on first
     * use; empty when the job has finished (or is not external).
     */
    public Optional<Opened> openForRunners(UUID jobId) {
        Opened opened = byJob.get(jobId);
        if (opened != null) {
            return Optional.of(opened);
        }
        return jobs.findById(jobId)
                .filter(job -> !job.getStatus().isFinal() && job.getRequest().environment().isExternal())
                .map(job -> byJob.computeIfAbsent(jobId, id -> opened(job.getRequest())));
    }

    private Opened opened(JobRequest request) {
        JobRequest.EnvironmentRequest environment = request.environment();
        ExternalVecEnv env = new ExternalVecEnv(requests.spec(environment), environment.numEnvs(),
                environment.external().masked(), settings);
        return new Opened(env, request.seed() == null ? 0 : request.seed());
    }

    public Optional<ExternalVecEnv> find(UUID jobId) {
        return Optional.ofNullable(byJob.get(jobId)).map(Opened::env);
    }

    /** Ends the job's environment and forgets it; {@code finished}: the job ended (runners get 410). */
    void close(UUID jobId, boolean finished) {
        Opened opened = byJob.remove(jobId);
        if (opened != null) {
            opened.env().close(finished);
        }
    }

    /** The runners attached to the external jobs running here. */
    int attachedRunners() {
        long now = clock.millis();
        return byJob.values().stream().mapToInt(opened -> opened.env().runners(now).size()).sum();
    }

    List<JobResponse.RunnerResponse> runners(UUID jobId) {
        long now = clock.millis();
        return find(jobId).map(env -> env.runners(now).stream()
                        .map(r -> new JobResponse.RunnerResponse(r.runnerId(), r.numEnvs(),
                                Instant.ofEpochMilli(r.lastSeenEpochMillis())))
                        .toList())
                .orElse(List.of());
    }
}

package dev.proxima.job;

import dev.proxima.InvalidFieldException;
import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.env.EnvironmentSpec;
import dev.proxima.ppo.config.InvalidConfigException;
import dev.proxima.ppo.config.IterationFootprint;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.util.unit.DataSize;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;

/**
 * Checks a submitted job request and fills in its defaults. The bounds that JobRequest declares
 * as constraints (checkpointEvery, stopWhen.maxRuntimeSeconds) are checked by Bean Validation
 * before the request gets here.
 */
@Component
class JobRequests {

    static final long DEFAULT_TOTAL_TIMESTEPS = 100_000;
    static final long MAX_TOTAL_TIMESTEPS = 1_000_000_000L;
    static final int MAX_NUM_ENVS = 256;

    private final EnvironmentRegistry environments;
    /** The most one iteration of a job may hold in memory (IterationFootprint's estimate). */
    private final long maxIterationBytes;
    private final CheckpointQuota checkpointQuota;

    JobRequests(EnvironmentRegistry environments, CheckpointQuota checkpointQuota,
            @Value("${proxima.limits.iteration-memory:1GB}") DataSize maxIterationMemory) {
        this.environments = environments;
        this.checkpointQuota = checkpointQuota;
        this.maxIterationBytes = maxIterationMemory.toBytes();
    }

    JobRequest effective(JobRequest request) {
        if (request == null) {
            throw new InvalidFieldException("body", "a job request is required");
        }
        JobRequest.EnvironmentRequest environment = request.environment();
        if (environment == null) {
            throw new InvalidFieldException("environment.id", "is required (or environment.external)");
        }
        EnvironmentSpec spec = spec(environment);
        int numEnvs = environment.numEnvs() == null ? 1 : environment.numEnvs();
        if (numEnvs < 1 || numEnvs > MAX_NUM_ENVS) {
            throw new InvalidFieldException("environment.numEnvs", "must be in [1, " + MAX_NUM_ENVS + "], was " + numEnvs);
        }
        long totalTimesteps = request.totalTimesteps() == null ? DEFAULT_TOTAL_TIMESTEPS : request.totalTimesteps();
        if (totalTimesteps < 1 || totalTimesteps > MAX_TOTAL_TIMESTEPS) {
            throw new InvalidFieldException("totalTimesteps",
                    "must be in [1, " + MAX_TOTAL_TIMESTEPS + "], was " + totalTimesteps);
        }
        String name = request.name() == null || request.name().isBlank() ? spec.id() : request.name().strip();
        if (name.length() > 200) {
            throw new InvalidFieldException("name", "must be at most 200 characters");
        }
        if (name.indexOf('\0') >= 0) {
            // PostgreSQL's text types cannot hold U+0000
            throw new InvalidFieldException("name", "must not contain the NUL character (U+0000)");
        }
        Hyperparameters hyperparameters = request.hyperparameters() == null ? Hyperparameters.defaults()
                : request.hyperparameters();
        try {
            hyperparameters.toConfig().validateFor(numEnvs, spec.actionSpace());
        } catch (InvalidConfigException e) {
            throw new InvalidFieldException("hyperparameters." + e.field(), e.reason());
        }
        IterationFootprint footprint = IterationFootprint.of(hyperparameters.toConfig(), numEnvs,
                spec.observationSpace().flatSize(), spec.actionSpace());
        checkFootprint(footprint);
        checkpointQuota.checkRequest(footprint.checkpointBytes());
        JobRequest.StopWhen stopWhen = request.stopWhen();
        if (stopWhen != null && stopWhen.episodeReturnMean() != null && !Double.isFinite(stopWhen.episodeReturnMean())) {
            throw new InvalidFieldException("stopWhen.episodeReturnMean", "must be a finite number");
        }
        long seed = request.seed() == null ? ThreadLocalRandom.current().nextLong(1L << 31) : request.seed();
        Double rewardScale = environment.rewardScale();
        if (rewardScale != null) {
            if (environment.isExternal()) {
                throw new InvalidFieldException("environment.rewardScale",
                        "applies to built-in environments; a runner scales its own rewards");
            }
            if (!Double.isFinite(rewardScale) || rewardScale <= 0 || rewardScale > 1e9) {
                throw new InvalidFieldException("environment.rewardScale",
                        "must be a number in (0, 1e9], was " + rewardScale);
            }
        }
        return new JobRequest(name, new JobRequest.EnvironmentRequest(environment.id(), environment.external(), numEnvs,
                rewardScale),
                totalTimesteps, seed,
                hyperparameters, stopWhen, request.checkpointEvery());
    }

    /** About how large one checkpoint of an effective request's job is. */
    long checkpointBytes(JobRequest effective) {
        EnvironmentSpec spec = spec(effective.environment());
        return IterationFootprint.of(effective.hyperparameters().toConfig(), effective.environment().numEnvs(),
                spec.observationSpace().flatSize(), spec.actionSpace()).checkpointBytes();
    }

    /**
     * One iteration's memory, refused up front when it exceeds proxima.limits.iteration-memory:
     * the problem names the field its largest part comes from and lists the others.
     */
    private void checkFootprint(IterationFootprint footprint) {
        if (footprint.total() <= maxIterationBytes) {
            return;
        }
        throw new InvalidFieldException("hyperparameters." + footprint.dominantFields(), "one iteration would hold about "
                + IterationFootprint.mebibytes(footprint.total()) + ", more than the "
                + IterationFootprint.mebibytes(maxIterationBytes) + " a job may (proxima.limits.iteration-memory): "
                + "the rollout (environment.numEnvs x nSteps) " + IterationFootprint.mebibytes(footprint.rolloutBytes())
                + ", a minibatch's passes (batchSize x network.hiddenSizes) "
                + IterationFootprint.mebibytes(footprint.minibatchBytes()) + ", the networks (network.hiddenSizes) "
                + IterationFootprint.mebibytes(footprint.networkBytes()));
    }

    /** The environment's spec: a built-in one's, or an external one's from its spaces. */
    EnvironmentSpec spec(JobRequest.EnvironmentRequest environment) {
        if (environment.isExternal()) {
            if (environment.id() != null) {
                throw new InvalidFieldException("environment.id", "give an id or an external environment, not both");
            }
            return environment.external().toSpec("environment.external");
        }
        if (environment.id() == null || environment.id().isBlank()) {
            throw new InvalidFieldException("environment.id", "is required (or an external environment)");
        }
        return environments.find(environment.id()).orElseThrow(() -> new InvalidFieldException("environment.id",
                "unknown environment '" + environment.id() + "'; GET /api/environments lists the known ones"));
    }
}

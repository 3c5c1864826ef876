package dev.proxima.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;

/**
 * A training job as submitted. Every field but {@code environment.id} may be left out; the job
 * keeps the effective request, defaults filled in. Bounds that need no context are Bean
 * Validation constraints (springdoc documents them as the schema's minimum); the rest, and the
 * defaults, are {@link JobRequests}'.
 */
public record JobRequest(
        @Schema(description = "Free-form label; defaults to the environment id", example = "cartpole")
        String name,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
        EnvironmentRequest environment,
        @Schema(description = "Environment steps to train for (summed over all parallel environments); default 100000",
                example = "100000")
        Long totalTimesteps,
        @Schema(description = "Seeds environments, initialisation, sampling and shuffling; random when left out",
                example = "42")
        Long seed,
        @Schema(description = "PPO hyperparameters; every one left out takes Stable-Baselines3's default")
        Hyperparameters hyperparameters,
        @Schema(description = "Ends the job as SUCCEEDED (with a final checkpoint) once a metric reaches its value or "
                + "training has run long enough; checked after each iteration")
        @Valid
        StopWhen stopWhen,
        @Schema(description = "Write a checkpoint every this many iterations (and at the end); left out, "
                + "checkpoints are time-based: after the first iteration, then at most every "
                + "proxima.jobs.checkpoint-interval", example = "10")
        @Min(value = 1, message = "must be >= 1, was ${validatedValue}")
        Integer checkpointEvery) {

    public record EnvironmentRequest(
            @Schema(description = "A built-in environment (GET /api/environments); give this or external",
                    example = "CartPole-v1")
            String id,
            @Schema(description = "An environment that runners step (the runner protocol); give this or id")
            @JsonInclude(JsonInclude.Include.NON_NULL)
            ExternalEnvironment external,
            @Schema(description = "Parallel environments (SB3's n_envs); default 1. For an external environment, "
                    + "the copies over all its runners", example = "8")
            Integer numEnvs,
            @Schema(description = "A built-in environment's rewards times this (the same task on another reward "
                    + "scale, as value normalization expects); left out, 1", example = "1000")
            @JsonInclude(JsonInclude.Include.NON_NULL)
            Double rewardScale) {

        public EnvironmentRequest(String id, ExternalEnvironment external, Integer numEnvs) {
            this(id, external, numEnvs, null);
        }

        /** Whether runners step this environment. */
        @JsonIgnore
        public boolean isExternal() {
            return external != null;
        }
    }

    public record StopWhen(
            @Schema(description = "Stop once rollout/ep_rew_mean (mean return of the last 100 episodes) >= this",
                    example = "475")
            Double episodeReturnMean,
            @Schema(description = "Stop once training has run this many seconds (stopReason MAX_RUNTIME_SECONDS)",
                    example = "3600")
            @Min(value = 1, message = "must be > 0, was ${validatedValue}")
            Long maxRuntimeSeconds) {
    }
}

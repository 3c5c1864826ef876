package dev.proxima.job;

/** Why a finished job stopped training. */
public enum StopReason {
    /** SUCCEEDED: totalTimesteps were trained. */
    TOTAL_TIMESTEPS,
    /** SUCCEEDED: rollout/ep_rew_mean reached stopWhen.episodeReturnMean. */
    EPISODE_RETURN_MEAN,
    /** SUCCEEDED: training ran for stopWhen.maxRuntimeSeconds. */
    MAX_RUNTIME_SECONDS,
    /** CANCELLED: a cancel request. */
    CANCELLED,
    /** FAILED: a loss, gradient or parameter became NaN or infinite (error says which, and when). */
    DIVERGED,
    /** FAILED: an external environment had no runner attached for proxima.runners.abandon-after. */
    RUNNERS_LOST,
    /** FAILED: any other error (error says which). */
    ERROR
}

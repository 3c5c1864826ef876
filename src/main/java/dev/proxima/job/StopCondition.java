package dev.proxima.job;

import dev.proxima.ppo.IterationReport;

/** A job's ends of training, checked after each iteration (the time limit inside one too): its timesteps, and its stopWhen. */
final class StopCondition {

    private final long totalTimesteps;
    private final Double episodeReturnMean;
    private final Long maxRuntimeSeconds;

    StopCondition(JobRequest request) {
        JobRequest.StopWhen stopWhen = request.stopWhen();
        this.totalTimesteps = request.totalTimesteps();
        this.episodeReturnMean = stopWhen == null ? null : stopWhen.episodeReturnMean();
        this.maxRuntimeSeconds = stopWhen == null ? null : stopWhen.maxRuntimeSeconds();
    }

    /**
     * Why training ends after this iteration, or null when it goes on. Reaching the return goes
     * first, then the timesteps, then the time limit (training time, counted across resumptions).
     */
    StopReason reached(IterationReport report) {
        Double reached = report.episodeReturnMean();
        if (episodeReturnMean != null && reached != null && reached >= episodeReturnMean) {
            return StopReason.EPISODE_RETURN_MEAN;
        }
        if (report.timesteps() >= totalTimesteps) {
            return StopReason.TOTAL_TIMESTEPS;
        }
        if (overRuntime(report.elapsedSeconds())) {
            return StopReason.MAX_RUNTIME_SECONDS;
        }
        return null;
    }

    /** Whether {@code elapsedSeconds} of training reach stopWhen.maxRuntimeSeconds (also inside an iteration). */
    boolean overRuntime(double elapsedSeconds) {
        return maxRuntimeSeconds != null && elapsedSeconds >= maxRuntimeSeconds;
    }
}

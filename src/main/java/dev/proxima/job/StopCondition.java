package dev.proxima.job;

import dev.proxima.ppo.IterationReport;

/** A job's ends of training, checked after each iteration (the time limit inside one too): its timesteps, and its stopWhen. */
final class StopCondition {

    private final long totalTimesteps;
    private final Double episodeReturnMean;
    private final Long maxRuntimeSeconds;
    /** The training seconds at the previous report (-1 before the first): how long an iteration takes. */
    private double previousElapsed = -1;

    StopCondition(JobRequest request) {
        JobRequest.StopWhen stopWhen = request.stopWhen();
        this.totalTimesteps = request.totalTimesteps();
        this.episodeReturnMean = stopWhen == null ? null : stopWhen.episodeReturnMean();
        this.maxRuntimeSeconds = stopWhen == null ? null : stopWhen.maxRuntimeSeconds();
    }

    /**
     * Why training ends after this iteration, or null when it goes on. Reaching the return goes
     * first, then the timesteps, then the time limit (training time, counted across resumptions):
     * reached, or to be passed by an iteration as long as the last one.
     */
    StopReason reached(IterationReport report) {
        double iterationSeconds = previousElapsed < 0 ? 0 : report.elapsedSeconds() - previousElapsed;
        previousElapsed = report.elapsedSeconds();
        Double reached = report.episodeReturnMean();
        if (episodeReturnMean != null && reached != null && reached >= episodeReturnMean) {
            return StopReason.EPISODE_RETURN_MEAN;
        }
        if (report.timesteps() >= totalTimesteps) {
            return StopReason.TOTAL_TIMESTEPS;
        }
        // another iteration as long as this one would pass the limit: stop now, with a final checkpoint,
        // rather than be cut off inside it (which keeps only the last checkpoint written)
        if (overRuntime(report.elapsedSeconds() + iterationSeconds)) {
            return StopReason.MAX_RUNTIME_SECONDS;
        }
        return null;
    }

    /** Whether {@code elapsedSeconds} of training reach stopWhen.maxRuntimeSeconds (also inside an iteration). */
    boolean overRuntime(double elapsedSeconds) {
        return maxRuntimeSeconds != null && elapsedSeconds >= maxRuntimeSeconds;
    }
}

package dev.proxima.vecenv;

import java.util.List;

/**
 * One step of all environments of a {@link VecEnv}. {@code finalObservations[i]} is non-null
 * only where environment i's episode ended in this step.
 */
public record VecStep(
        double[][] observations,
        double[] rewards,
        boolean[] terminated,
        boolean[] truncated,
        double[][] finalObservations,
        List<Episode> finishedEpisodes) {

    public boolean done(int i) {
        return terminated[i] || truncated[i];
    }
}

package dev.proxima.env;

/**
 * What a client needs to know about an environment: Gymnasium's id, spaces, the time limit
 * ({@code max_episode_steps}) and the return at which it counts as solved.
 */
public record EnvironmentSpec(
        String id,
        Space observationSpace,
        Space actionSpace,
        int maxEpisodeSteps,
        Double rewardThreshold) {
}

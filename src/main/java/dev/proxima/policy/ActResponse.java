package dev.proxima.policy;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

public record ActResponse(
        @Schema(description = "The action for a single observation: an integer for Discrete spaces, an array of "
                + "integers (one per dimension) for MultiDiscrete spaces, an array of numbers for Box spaces, "
                + "{\"type\": k, \"parameters\": [..]} for hybrid spaces (every parameter, clipped to its bounds; "
                + "type k reads those its parameterMask row marks)")
        Object action,
        @Schema(description = "The actions for a batch, in order")
        List<Object> actions,
        CheckpointRef checkpoint,
        @Schema(description = "With includeDetails: an ActionDetails for observation, a list of them for observations")
        Object details) {

    /** What the policy saw and thought, for one observation. */
    public record ActionDetails(
            @Schema(description = "The critic's V(s)") double value,
            @Schema(description = "log pi(a|s) of the action as drawn, before clipping to a Box space") double logProb,
            @Schema(description = "Discrete: the probability of each action (0 where masked); MultiDiscrete: each "
                    + "dimension's probabilities, the dimensions one after the other; hybrid: each action type's")
            double[] probabilities,
            @Schema(description = "Box: the Gaussian's mean per dimension; hybrid: per parameter") double[] mean,
            @Schema(description = "Box: the Gaussian's standard deviation per dimension; hybrid: per parameter")
            double[] std) {
    }

    /** Which checkpoint answered. */
    public record CheckpointRef(
            int iteration,
            long timesteps,
            @Schema(description = "rollout/ep_rew_mean when the checkpoint was written; absent before any episode ended")
            Double episodeReturnMean) {
    }
}

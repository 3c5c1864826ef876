package dev.proxima.policy;

import io.swagger.v3.oas.annotations.media.Schema;

/** One observation or a batch of them, raw as the environment returns them. */
public record ActRequest(
        @Schema(description = "A single observation; give this or observations", example = "[0.01, 0.02, -0.03, 0.04]")
        double[] observation,
        @Schema(description = "A batch of observations; give this or observation")
        double[][] observations,
        @Schema(description = "true: the most likely action; false (default, as SB3's predict): a sample from the policy")
        Boolean deterministic,
        @Schema(description = "Discrete spaces: which actions are legal for observation (true = allowed); "
                + "MultiDiscrete spaces: each dimension's flags, the dimensions one after the other. "
                + "A masked action is never returned")
        boolean[] actionMask,
        @Schema(description = "One action mask per observation of observations")
        boolean[][] actionMasks,
        @Schema(description = "Also return the value estimate, the action's log-probability and the distribution")
        Boolean includeDetails) {
}

package dev.proxima.policy;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

public record ActResponse(
        @Schema(description = "The action for a single observation (an integer for Discrete spaces)")
        Object action,
        @Schema(description = "The actions for a batch, in order")
        List<Object> actions,
        CheckpointRef checkpoint) {

    /** Which checkpoint answered. */
    public record CheckpointRef(int iteration, long timesteps) {
    }
}

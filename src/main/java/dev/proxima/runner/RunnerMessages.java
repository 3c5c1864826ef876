package dev.proxima.runner;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The runner protocol's bodies. */
final class RunnerMessages {

    private RunnerMessages() {
    }

    record AttachRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Environment copies this runner steps",
                    example = "8")
            Integer numEnvs) {
    }

    record AttachResponse(
            UUID runnerId,
            int numEnvs,
            @Schema(description = "A runner that makes no call for this long is detached") long leaseSeconds,
            @Schema(description = "How long a step call waits for its actions before it answers 202")
            long pollSeconds,
            @Schema(description = "Suggested seeds for resetting the copies (the job's seed plus each copy's slot)")
            long[] seeds) {
    }

    record StepRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The runner's call number, from 0; "
                    + "a retry sends the same one", example = "0")
            Long sequence,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "One observation per copy; where a "
                    + "copy's episode ended, the first observation of its next one")
            List<List<Double>> observations,
            @Schema(description = "Per copy, the reward of its previous action (not with sequence 0)")
            List<Double> rewards,
            @Schema(description = "Per copy: the previous action ended the episode in a terminal state (no bootstrap)")
            List<Boolean> terminated,
            @Schema(description = "Per copy: the previous action ended the episode by a time limit or another cut "
                    + "(bootstrapped from finalObservations)")
            List<Boolean> truncated,
            @Schema(description = "For each truncated copy i, under the key \"i\": the last observation of its ended "
                    + "episode")
            Map<String, List<Double>> finalObservations,
            @Schema(description = "Jobs with actionMasks: one mask per copy (true = allowed)")
            List<List<Boolean>> actionMasks) {
    }

    record StepResponse(
            long sequence,
            @Schema(description = "One action per copy: an integer (Discrete), integers (MultiDiscrete) or numbers "
                    + "clipped to the bounds (Box)")
            List<Object> actions,
            @Schema(description = "The number of PPO updates behind the policy that chose the actions")
            int policyVersion) {
    }

    record StepPending(
            long sequence,
            @Schema(description = "Send the same step again after this many seconds") int retryAfterSeconds) {
    }
}

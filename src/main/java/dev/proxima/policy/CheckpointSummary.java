package dev.proxima.policy;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** One stored checkpoint of a job, as GET /api/jobs/{id}/checkpoints lists it. */
public record CheckpointSummary(
        int iteration,
        long timesteps,
        @Schema(description = "rollout/ep_rew_mean when the checkpoint was written; absent before any episode ended")
        Double episodeReturnMean,
        @Schema(description = "The size of the policy archive (both networks and their Adam state)")
        int sizeBytes,
        Instant createdAt,
        @Schema(description = "Whether this is the job's best checkpoint: the highest episodeReturnMean, the earliest "
                + "on a tie; /act serves it with ?checkpoint=best")
        boolean best) {
}

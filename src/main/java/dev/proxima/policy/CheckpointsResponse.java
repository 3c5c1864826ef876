package dev.proxima.policy;

import java.util.List;
import java.util.UUID;

public record CheckpointsResponse(UUID jobId, List<CheckpointSummary> checkpoints) {
}

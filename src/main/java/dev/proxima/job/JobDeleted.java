package dev.proxima.job;

import java.util.UUID;

/** Published once a finished job, its metrics and its checkpoints are deleted. */
public record JobDeleted(UUID jobId) {
}

package dev.proxima.policy;

/** A checkpoint's identity and position in training, without its bytes. */
public record CheckpointInfo(long id, int iteration, long timesteps, Double episodeReturnMean) {
}

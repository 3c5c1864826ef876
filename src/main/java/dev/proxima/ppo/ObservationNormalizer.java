package dev.proxima.ppo;

/**
 * SB3's VecNormalize observation transform, frozen: clip((obs - mean) / sqrt(var + eps), -clip, clip).
 * Saved with every checkpoint so that /act normalises raw observations as training did.
 */
public record ObservationNormalizer(double[] mean, double[] var, double count, double clip, double epsilon) {

    public void normalize(double[] observation, double[] target) {
        for (int i = 0; i < observation.length; i++) {
            double z = (observation[i] - mean[i]) / Math.sqrt(var[i] + epsilon);
            target[i] = Math.max(-clip, Math.min(clip, z));
        }
    }
}

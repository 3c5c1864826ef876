package dev.proxima.vecenv;

/**
 * SB3's VecNormalize observation transform, frozen: clip((obs - mean) / sqrt(var + eps), -clip, clip).
 * Saved with every checkpoint so that /act normalises raw observations as training did.
 */
public record ObservationNormalizer(double[] mean, double[] var, double count, double clip, double epsilon) {

    public void normalize(double[] observation, double[] target) {
        for (int i = 0; i < observation.length; i++) {
            target[i] = normalize(observation[i], mean[i], var[i], clip, epsilon);
        }
    }

    /** The transform of one value; {@link VecNormalize} applies it with its running statistics. */
    static double normalize(double value, double mean, double var, double clip, double epsilon) {
        double z = (value - mean) / Math.sqrt(var + epsilon);
        return Math.max(-clip, Math.min(clip, z));
    }
}

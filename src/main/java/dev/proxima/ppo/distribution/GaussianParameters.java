package dev.proxima.ppo.distribution;

/**
 * A distribution with a diagonal Gaussian part whose log-stds are a contiguous run of its
 * parameters ({@link DiagGaussian}, the parameters of {@link HybridDistribution}): what the
 * log-std options (state-independent, fixed, state-dependent) and train/std act on.
 */
public interface GaussianParameters extends ActionDistribution {

    /** Index of the first log-std within a parameter row. */
    int logStdFrom();

    /** How many Gaussian dimensions (and log-stds) there are. */
    int gaussianDimensions();

    /** The standard deviations of the row at {@code offset}. */
    default double[] std(float[] params, int offset) {
        double[] std = new double[gaussianDimensions()];
        for (int j = 0; j < std.length; j++) {
            std[j] = Math.exp(params[offset + logStdFrom() + j]);
        }
        return std;
    }
}

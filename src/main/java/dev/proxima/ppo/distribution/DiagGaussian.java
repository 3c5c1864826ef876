package dev.proxima.ppo.distribution;

import java.util.random.RandomGenerator;

/**
 * A diagonal Gaussian over {@code d} continuous action dimensions, parameterised per row by
 * {@code [mean_1..mean_d, logStd_1..logStd_d]}. Log-probability and entropy are summed over the
 * dimensions. Actions are sampled unclipped; clipping to the action space happens only at the
 * environment boundary.
 */
public final class DiagGaussian implements GaussianParameters {

    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private final int d;

    public DiagGaussian(int d) {
        if (d < 1) {
            throw new IllegalArgumentException("d must be >= 1");
        }
        this.d = d;
    }

    public int dimensions() {
        return d;
    }

    /** Where mean j of the row at {@code offset} is: the means come first. */
    public static int meanIndex(int d, int offset, int j) {
        return offset + j;
    }

    /** Where log-std j of the row at {@code offset} is: after the d means. */
    public static int logStdIndex(int d, int offset, int j) {
        return offset + d + j;
    }

    /** The means of the row at {@code offset}. */
    public double[] mean(float[] params, int offset) {
        double[] mean = new double[d];
        for (int j = 0; j < d; j++) {
            mean[j] = params[meanIndex(d, offset, j)];
        }
        return mean;
    }

    @Override
    public int logStdFrom() {
        return d;
    }

    @Override
    public int gaussianDimensions() {
        return d;
    }

    @Override
    public int paramSize() {
        return 2 * d;
    }

    @Override
    public int actionSize() {
        return d;
    }

    @Override
    public void sample(float[] params, int offset, RandomGenerator random, double[] actions, int actionOffset) {
        for (int j = 0; j < d; j++) {
            double std = Math.exp(params[logStdIndex(d, offset, j)]);
            actions[actionOffset + j] = params[meanIndex(d, offset, j)] + std * random.nextGaussian();
        }
    }

    @Override
    public void mode(float[] params, int offset, double[] actions, int actionOffset) {
        for (int j = 0; j < d; j++) {
            actions[actionOffset + j] = params[meanIndex(d, offset, j)];
        }
    }

    @Override
    public double logProb(float[] params, int offset, double[] actions, int actionOffset) {
        double logProb = 0;
        for (int j = 0; j < d; j++) {
            logProb += logDensity(actions[actionOffset + j], params[meanIndex(d, offset, j)],
                    params[logStdIndex(d, offset, j)]);
        }
        return logProb;
    }

    /** The log-density of one dimension at {@code x}. */
    static double logDensity(double x, double mean, double logStd) {
        double z = (x - mean) / Math.exp(logStd);
        return -0.5 * z * z - logStd - LOG_SQRT_2PI;
    }

    @Override
    public double entropy(float[] params, int offset) {
        double entropy = 0;
        for (int j = 0; j < d; j++) {
            entropy += entropy(params[logStdIndex(d, offset, j)]);
        }
        return entropy;
    }

    /** The entropy of one dimension. */
    static double entropy(double logStd) {
        return 0.5 + LOG_SQRT_2PI + logStd;
    }

    @Override
    public double kl(float[] oldParams, int oldOffset, float[] params, int offset) {
        double kl = 0;
        for (int j = 0; j < d; j++) {
            kl += kl(oldParams[meanIndex(d, oldOffset, j)], oldParams[logStdIndex(d, oldOffset, j)],
                    params[meanIndex(d, offset, j)], params[logStdIndex(d, offset, j)]);
        }
        return kl;
    }

    /**
     * KL of one dimension: log(s/s_old) + (s_old^2 + (m_old - m)^2) / (2 s^2) - 1/2. The means
     * stay float, so that their difference is taken in float as the networks' outputs are.
     */
    static double kl(float oldMean, double oldLogStd, float mean, double logStd) {
        double diff = oldMean - mean;
        double ratio = (Math.exp(2 * oldLogStd) + diff * diff) / Math.exp(2 * logStd);
        return logStd - oldLogStd + 0.5 * ratio - 0.5;
    }

    /** d KL / d m = (m - m_old) / s^2, d KL / d log s = 1 - (s_old^2 + (m_old - m)^2) / s^2. */
    @Override
    public void accumulateKlGradient(float[] oldParams, int oldOffset, float[] params, int offset, double coefficient,
            double[] gradient) {
        for (int j = 0; j < d; j++) {
            double variance = Math.exp(2.0 * params[logStdIndex(d, offset, j)]);
            double diff = params[meanIndex(d, offset, j)] - oldParams[meanIndex(d, oldOffset, j)];
            double ratio = (Math.exp(2.0 * oldParams[logStdIndex(d, oldOffset, j)]) + diff * diff) / variance;
            gradient[meanIndex(d, offset, j)] += coefficient * diff / variance;
            gradient[logStdIndex(d, offset, j)] += coefficient * (1 - ratio);
        }
    }

    /**
     * d logp/d mean = (a - mean) / sigma^2, d logp/d logStd = z^2 - 1; dH/d logStd = 1.
     */
    @Override
    public void accumulateGradient(float[] params, int offset, double[] actions, int actionOffset,
            double dLossDLogProb, double dLossDEntropy, double[] gradient) {
        for (int j = 0; j < d; j++) {
            double std = Math.exp(params[logStdIndex(d, offset, j)]);
            double diff = actions[actionOffset + j] - params[meanIndex(d, offset, j)];
            double z = diff / std;
            gradient[meanIndex(d, offset, j)] += dLossDLogProb * diff / (std * std);
            gradient[logStdIndex(d, offset, j)] += dLossDLogProb * (z * z - 1) + dLossDEntropy;
        }
    }
}

package dev.proxima.ppo.distribution;

import java.util.random.RandomGenerator;

/**
 * A diagonal Gaussian over {@code d} continuous action dimensions, parameterised per row by
 * {@code [mean_1..mean_d, logStd_1..logStd_d]}. Log-probability and entropy are summed over the
 * dimensions. Actions are sampled unclipped; clipping to the action space happens only at the
 * environment boundary.
 */
public final class DiagGaussian implements ActionDistribution {

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
            actions[actionOffset + j] = params[offset + j] + Math.exp(params[offset + d + j]) * random.nextGaussian();
        }
    }

    @Override
    public void mode(float[] params, int offset, double[] actions, int actionOffset) {
        for (int j = 0; j < d; j++) {
            actions[actionOffset + j] = params[offset + j];
        }
    }

    @Override
    public double logProb(float[] params, int offset, double[] actions, int actionOffset) {
        double logProb = 0;
        for (int j = 0; j < d; j++) {
            double logStd = params[offset + d + j];
            double z = (actions[actionOffset + j] - params[offset + j]) / Math.exp(logStd);
            logProb += -0.5 * z * z - logStd - LOG_SQRT_2PI;
        }
        return logProb;
    }

    @Override
    public double entropy(float[] params, int offset) {
        double entropy = 0;
        for (int j = 0; j < d; j++) {
            entropy += 0.5 + LOG_SQRT_2PI + params[offset + d + j];
        }
        return entropy;
    }

    /** Per dimension: log(s/s_old) + (s_old^2 + (m_old - m)^2) / (2 s^2) - 1/2. */
    @Override
    public double kl(float[] oldParams, int oldOffset, float[] params, int offset) {
        double kl = 0;
        for (int j = 0; j < d; j++) {
            double oldLogStd = oldParams[oldOffset + d + j];
            double logStd = params[offset + d + j];
            double diff = oldParams[oldOffset + j] - params[offset + j];
            double ratio = (Math.exp(2 * oldLogStd) + diff * diff) / Math.exp(2 * logStd);
            kl += logStd - oldLogStd + 0.5 * ratio - 0.5;
        }
        return kl;
    }

    /** d KL / d m = (m - m_old) / s^2, d KL / d log s = 1 - (s_old^2 + (m_old - m)^2) / s^2. */
    @Override
    public void accumulateKlGradient(float[] oldParams, int oldOffset, float[] params, int offset, double coefficient,
            double[] gradient) {
        for (int j = 0; j < d; j++) {
            double variance = Math.exp(2.0 * params[offset + d + j]);
            double diff = params[offset + j] - oldParams[oldOffset + j];
            double ratio = (Math.exp(2.0 * oldParams[oldOffset + d + j]) + diff * diff) / variance;
            gradient[offset + j] += coefficient * diff / variance;
            gradient[offset + d + j] += coefficient * (1 - ratio);
        }
    }

    /**
     * d logp/d mean = (a - mean) / sigma^2, d logp/d logStd = z^2 - 1; dH/d logStd = 1.
     */
    @Override
    public void accumulateGradient(float[] params, int offset, double[] actions, int actionOffset,
            double dLossDLogProb, double dLossDEntropy, double[] gradient) {
        for (int j = 0; j < d; j++) {
            double std = Math.exp(params[offset + d + j]);
            double diff = actions[actionOffset + j] - params[offset + j];
            double z = diff / std;
            gradient[offset + j] += dLossDLogProb * diff / (std * std);
            gradient[offset + d + j] += dLossDLogProb * (z * z - 1) + dLossDEntropy;
        }
    }
}

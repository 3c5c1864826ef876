package dev.proxima.ppo.distribution;

import dev.proxima.env.HybridSpace;
import java.util.random.RandomGenerator;

/**
 * A parameterized action (H-PPO, Fan et al. 2019; PPOxFamily's hybrid action space): a
 * categorical over the n action types and a diagonal Gaussian over the m parameters, where type
 * k uses only the parameters {@code uses[k]} marks. A row's parameters are
 * {@code [logits_1..n, mean_1..m, logStd_1..m]}, an action {@code [type, p_1..m]}.
 *
 * <p>log pi(a) = log p(type) + the log-density of the chosen type's parameters only; the entropy
 * is the type's plus the expected entropy of the used parameters, sum_k p_k sum_{j in k} H_j;
 * KL(old || new) = KL of the types + sum_k p_old_k sum_{j in k} KL_j. Every parameter is sampled
 * (unclipped; the environment boundary clips), the unused ones carry no probability. Action
 * masks restrict the types.
 */
public final class HybridDistribution implements GaussianParameters {

    private final int n;
    private final int m;
    private final boolean[][] uses;
    private final Categorical types;

    public HybridDistribution(HybridSpace space) {
        this.n = space.n();
        this.m = space.parameterCount();
        this.uses = space.parameterMask();
        this.types = new Categorical(n);
    }

    private int mean(int offset, int j) {
        return offset + n + j;
    }

    private int logStd(int offset, int j) {
        return offset + n + m + j;
    }

    @Override
    public int logStdFrom() {
        return n + m;
    }

    @Override
    public int gaussianDimensions() {
        return m;
    }

    @Override
    public int paramSize() {
        return n + 2 * m;
    }

    @Override
    public int actionSize() {
        return 1 + m;
    }

    @Override
    public int maskSize() {
        return n;
    }

    /** The action type and the (used) parameters. */
    @Override
    public java.util.List<String> heads() {
        return java.util.List.of("type", "parameters");
    }

    @Override
    public double headLogProb(float[] params, int offset, double[] actions, int actionOffset, int head) {
        return head == 0 ? typeLogProb(params, offset, actions, actionOffset)
                : parameterLogProb(params, offset, actions, actionOffset);
    }

    @Override
    public double headEntropy(float[] params, int offset, int head) {
        return head == 0 ? typeEntropy(params, offset) : parameterEntropy(params, offset);
    }

    @Override
    public void applyMask(float[] params, int offset, boolean[] mask, int maskOffset) {
        types.applyMask(params, offset, mask, maskOffset);
    }

    @Override
    public void sample(float[] params, int offset, RandomGenerator random, double[] actions, int actionOffset) {
        types.sample(params, offset, random, actions, actionOffset);
        for (int j = 0; j < m; j++) {
            actions[actionOffset + 1 + j] = params[mean(offset, j)] + Math.exp(params[logStd(offset, j)])
                    * random.nextGaussian();
        }
    }

    @Override
    public void mode(float[] params, int offset, double[] actions, int actionOffset) {
        types.mode(params, offset, actions, actionOffset);
        for (int j = 0; j < m; j++) {
            actions[actionOffset + 1 + j] = params[mean(offset, j)];
        }
    }

    @Override
    public double logProb(float[] params, int offset, double[] actions, int actionOffset) {
        return typeLogProb(params, offset, actions, actionOffset) + parameterLogProb(params, offset, actions, actionOffset);
    }

    /** log p(type) of the action at {@code actionOffset}. */
    public double typeLogProb(float[] params, int offset, double[] actions, int actionOffset) {
        return types.logProb(params, offset, actions, actionOffset);
    }

    /** The log-density of the parameters the action's type uses. */
    public double parameterLogProb(float[] params, int offset, double[] actions, int actionOffset) {
        boolean[] used = uses[(int) actions[actionOffset]];
        double logProb = 0;
        for (int j = 0; j < m; j++) {
            if (used[j]) {
                logProb += DiagGaussian.logDensity(actions[actionOffset + 1 + j], params[mean(offset, j)],
                        params[logStd(offset, j)]);
            }
        }
        return logProb;
    }

    @Override
    public double entropy(float[] params, int offset) {
        return typeEntropy(params, offset) + parameterEntropy(params, offset);
    }

    /** The categorical's entropy over the (legal) types. */
    public double typeEntropy(float[] params, int offset) {
        return types.entropy(params, offset);
    }

    /** The expected entropy of the used parameters, sum_k p_k sum_{j in k} H_j. */
    public double parameterEntropy(float[] params, int offset) {
        double[] p = new double[n];
        types.probabilities(params, offset, p, 0);
        double entropy = 0;
        for (int k = 0; k < n; k++) {
            entropy += p[k] * usedEntropy(params, offset, k);
        }
        return entropy;
    }

    /** sum_{j in k} H_j, with H_j = 1/2 + log sqrt(2 pi) + log sigma_j. */
    private double usedEntropy(float[] params, int offset, int k) {
        double entropy = 0;
        for (int j = 0; j < m; j++) {
            if (uses[k][j]) {
                entropy += DiagGaussian.entropy(params[logStd(offset, j)]);
            }
        }
        return entropy;
    }

    /**
     * Type: as {@link Categorical}, plus the entropy's pull p_i (E_i - sum_k p_k E_k), E_k the
     * used parameters' entropy of type k. Parameters: only the chosen type's get log-prob
     * gradients (d/d mean = (a - mean) / sigma^2, d/d log sigma = z^2 - 1); d H / d log sigma_j is
     * the probability that a type using j is chosen.
     */
    @Override
    public void accumulateGradient(float[] params, int offset, double[] actions, int actionOffset,
            double dLossDLogProb, double dLossDEntropy, double[] gradient) {
        types.accumulateGradient(params, offset, actions, actionOffset, dLossDLogProb, dLossDEntropy, gradient);
        boolean[] used = uses[(int) actions[actionOffset]];
        for (int j = 0; j < m; j++) {
            if (used[j]) {
                double std = Math.exp(params[logStd(offset, j)]);
                double diff = actions[actionOffset + 1 + j] - params[mean(offset, j)];
                double z = diff / std;
                gradient[mean(offset, j)] += dLossDLogProb * diff / (std * std);
                gradient[logStd(offset, j)] += dLossDLogProb * (z * z - 1);
            }
        }
        if (dLossDEntropy != 0) {
            double[] p = new double[n];
            types.probabilities(params, offset, p, 0);
            double[] typeEntropies = new double[n];
            double expected = 0;
            for (int k = 0; k < n; k++) {
                typeEntropies[k] = usedEntropy(params, offset, k);
                expected += p[k] * typeEntropies[k];
            }
            for (int k = 0; k < n; k++) {
                gradient[offset + k] += dLossDEntropy * p[k] * (typeEntropies[k] - expected);
            }
            for (int j = 0; j < m; j++) {
                gradient[logStd(offset, j)] += dLossDEntropy * usedBy(p, j);
            }
        }
    }

    @Override
    public double kl(float[] oldParams, int oldOffset, float[] params, int offset) {
        double kl = types.kl(oldParams, oldOffset, params, offset);
        double[] oldP = new double[n];
        types.probabilities(oldParams, oldOffset, oldP, 0);
        for (int j = 0; j < m; j++) {
            double weight = usedBy(oldP, j);
            if (weight != 0) {
                kl += weight * DiagGaussian.kl(oldParams[mean(oldOffset, j)], oldParams[logStd(oldOffset, j)],
                        params[mean(offset, j)], params[logStd(offset, j)]);
            }
        }
        return kl;
    }

    /** The probability, under type probabilities {@code p}, that the chosen type uses parameter j. */
    private double usedBy(double[] p, int j) {
        double weight = 0;
        for (int k = 0; k < n; k++) {
            if (uses[k][j]) {
                weight += p[k];
            }
        }
        return weight;
    }

    @Override
    public void accumulateKlGradient(float[] oldParams, int oldOffset, float[] params, int offset, double coefficient,
            double[] gradient) {
        types.accumulateKlGradient(oldParams, oldOffset, params, offset, coefficient, gradient);
        double[] oldP = new double[n];
        types.probabilities(oldParams, oldOffset, oldP, 0);
        for (int j = 0; j < m; j++) {
            double weight = usedBy(oldP, j);
            if (weight == 0) {
                continue;
            }
            double variance = Math.exp(2.0 * params[logStd(offset, j)]);
            double diff = params[mean(offset, j)] - oldParams[mean(oldOffset, j)];
            double ratio = (Math.exp(2.0 * oldParams[logStd(oldOffset, j)]) + diff * diff) / variance;
            gradient[mean(offset, j)] += coefficient * weight * diff / variance;
            gradient[logStd(offset, j)] += coefficient * weight * (1 - ratio);
        }
    }

    /** The type probabilities of the row at {@code offset} (0 where masked). */
    public double[] typeProbabilities(float[] params, int offset) {
        double[] p = new double[n];
        types.probabilities(params, offset, p, 0);
        return p;
    }

    /** The parameters' means of the row at {@code offset}. */
    public double[] means(float[] params, int offset) {
        double[] means = new double[m];
        for (int j = 0; j < m; j++) {
            means[j] = params[mean(offset, j)];
        }
        return means;
    }
}

package dev.proxima.ppo.distribution;

import java.util.random.RandomGenerator;

/** A categorical distribution over {@code n} actions, parameterised by unnormalised logits. */
public final class Categorical implements ChoiceDistribution {

    /** A masked logit: exp() of it underflows to exactly 0, so masked actions drop out of every sum. */
    static final float MASKED_LOGIT = -1e8f;

    private final int n;

    public Categorical(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1");
        }
        this.n = n;
    }

    @Override
    public int paramSize() {
        return n;
    }

    @Override
    public int actionSize() {
        return 1;
    }

    @Override
    public void applyMask(float[] logits, int offset, boolean[] mask, int maskOffset) {
        for (int j = 0; j < n; j++) {
            if (!mask[maskOffset + j]) {
                logits[offset + j] = MASKED_LOGIT;
            }
        }
    }

    @Override
    public int maskSize() {
        return n;
    }

    @Override
    public void sample(float[] logits, int offset, RandomGenerator random, double[] actions, int actionOffset) {
        double max = max(logits, offset);
        double total = 0;
        for (int j = 0; j < n; j++) {
            total += Math.exp(logits[offset + j] - max);
        }
        double u = random.nextDouble() * total;
        int chosen = n - 1;
        double cumulative = 0;
        for (int j = 0; j < n; j++) {
            cumulative += Math.exp(logits[offset + j] - max);
            if (u < cumulative) {
                chosen = j;
                break;
            }
        }
        actions[actionOffset] = chosen;
    }

    @Override
    public void mode(float[] logits, int offset, double[] actions, int actionOffset) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (logits[offset + j] > logits[offset + best]) {
                best = j;
            }
        }
        actions[actionOffset] = best;
    }

    @Override
    public double logProb(float[] logits, int offset, double[] actions, int actionOffset) {
        return logits[offset + (int) actions[actionOffset]] - logSumExp(logits, offset);
    }

    @Override
    public double entropy(float[] logits, int offset) {
        double logZ = logSumExp(logits, offset);
        double entropy = 0;
        for (int j = 0; j < n; j++) {
            double logP = logits[offset + j] - logZ;
            entropy -= Math.exp(logP) * logP;
        }
        return entropy;
    }

    /**
     * d logp(a)/d logit_j = 1[j=a] - p_j and dH/d logit_j = -p_j (log p_j + H).
     */
    @Override
    public void accumulateGradient(float[] logits, int offset, double[] actions, int actionOffset,
            double dLossDLogProb, double dLossDEntropy, double[] gradient) {
        double logZ = logSumExp(logits, offset);
        int action = (int) actions[actionOffset];
        double entropy = dLossDEntropy == 0 ? 0 : entropy(logits, offset);
        for (int j = 0; j < n; j++) {
            double logP = logits[offset + j] - logZ;
            double p = Math.exp(logP);
            double dLogProb = (j == action ? 1 : 0) - p;
            double dEntropy = -p * (logP + entropy);
            gradient[offset + j] += dLossDLogProb * dLogProb + dLossDEntropy * dEntropy;
        }
    }

    @Override
    public double kl(float[] oldLogits, int oldOffset, float[] logits, int offset) {
        double oldLogZ = logSumExp(oldLogits, oldOffset);
        double logZ = logSumExp(logits, offset);
        double kl = 0;
        for (int j = 0; j < n; j++) {
            double oldLogP = oldLogits[oldOffset + j] - oldLogZ;
            kl += Math.exp(oldLogP) * (oldLogP - (logits[offset + j] - logZ));
        }
        return kl;
    }

    /** d KL(old || new) / d logit_j = p_new_j - p_old_j. */
    @Override
    public void accumulateKlGradient(float[] oldLogits, int oldOffset, float[] logits, int offset, double coefficient,
            double[] gradient) {
        double oldLogZ = logSumExp(oldLogits, oldOffset);
        double logZ = logSumExp(logits, offset);
        for (int j = 0; j < n; j++) {
            double p = Math.exp(logits[offset + j] - logZ);
            double oldP = Math.exp(oldLogits[oldOffset + j] - oldLogZ);
            gradient[offset + j] += coefficient * (p - oldP);
        }
    }

    @Override
    public void probabilities(float[] logits, int offset, double[] target) {
        probabilities(logits, offset, target, 0);
    }

    void probabilities(float[] logits, int offset, double[] target, int targetOffset) {
        double logZ = logSumExp(logits, offset);
        for (int j = 0; j < n; j++) {
            target[targetOffset + j] = Math.exp(logits[offset + j] - logZ);
        }
    }

    private double max(float[] logits, int offset) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, logits[offset + j]);
        }
        return max;
    }

    private double logSumExp(float[] logits, int offset) {
        double max = max(logits, offset);
        double total = 0;
        for (int j = 0; j < n; j++) {
            total += Math.exp(logits[offset + j] - max);
        }
        return max + Math.log(total);
    }

    public int n() {
        return n;
    }
}

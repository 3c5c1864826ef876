package dev.proxima.ppo.distribution;

import java.util.random.RandomGenerator;

/**
 * Independent categoricals, one per dimension of a MultiDiscrete space (SB3's
 * MultiCategoricalDistribution). A row's parameters are the dimensions' logits one after the
 * other ({@code nvec[0] + .. + nvec[k-1]} of them), an action holds one choice per dimension, and
 * log-probability, entropy and KL are sums over the dimensions. A mask is the dimensions' masks
 * one after the other, each applied to its own categorical (sb3-contrib's MaskableMultiCategorical).
 */
public final class MultiCategorical implements ChoiceDistribution {

    private final int[] nvec;
    private final Categorical[] dimensions;
    /** Where each dimension's logits (and mask flags) start within a row. */
    private final int[] starts;
    private final int paramSize;

    public MultiCategorical(int[] nvec) {
        if (nvec.length == 0) {
            throw new IllegalArgumentException("nvec must have at least one dimension");
        }
        this.nvec = nvec.clone();
        this.dimensions = new Categorical[nvec.length];
        this.starts = new int[nvec.length];
        int start = 0;
        for (int d = 0; d < nvec.length; d++) {
            dimensions[d] = new Categorical(nvec[d]);
            starts[d] = start;
            start += nvec[d];
        }
        this.paramSize = start;
    }

    public int[] nvec() {
        return nvec.clone();
    }

    @Override
    public int paramSize() {
        return paramSize;
    }

    @Override
    public int actionSize() {
        return nvec.length;
    }

    @Override
    public int maskSize() {
        return paramSize;
    }

    /** One head per dimension, named by its index. */
    @Override
    public java.util.List<String> heads() {
        return java.util.stream.IntStream.range(0, nvec.length).mapToObj(Integer::toString).toList();
    }

    @Override
    public double headLogProb(float[] logits, int offset, double[] actions, int actionOffset, int head) {
        return dimensions[head].logProb(logits, offset + starts[head], actions, actionOffset + head);
    }

    @Override
    public double headEntropy(float[] logits, int offset, int head) {
        return dimensions[head].entropy(logits, offset + starts[head]);
    }

    @Override
    public void applyMask(float[] logits, int offset, boolean[] mask, int maskOffset) {
        for (int d = 0; d < dimensions.length; d++) {
            dimensions[d].applyMask(logits, offset + starts[d], mask, maskOffset + starts[d]);
        }
    }

    @Override
    public void sample(float[] logits, int offset, RandomGenerator random, double[] actions, int actionOffset) {
        for (int d = 0; d < dimensions.length; d++) {
            dimensions[d].sample(logits, offset + starts[d], random, actions, actionOffset + d);
        }
    }

    @Override
    public void probabilities(float[] logits, int offset, double[] target) {
        for (int d = 0; d < dimensions.length; d++) {
            dimensions[d].probabilities(logits, offset + starts[d], target, starts[d]);
        }
    }

    @Override
    public void mode(float[] logits, int offset, double[] actions, int actionOffset) {
        for (int d = 0; d < dimensions.length; d++) {
            dimensions[d].mode(logits, offset + starts[d], actions, actionOffset + d);
        }
    }

    @Override
    public double logProb(float[] logits, int offset, double[] actions, int actionOffset) {
        double logProb = 0;
        for (int d = 0; d < dimensions.length; d++) {
            logProb += dimensions[d].logProb(logits, offset + starts[d], actions, actionOffset + d);
        }
        return logProb;
    }

    @Override
    public double entropy(float[] logits, int offset) {
        double entropy = 0;
        for (int d = 0; d < dimensions.length; d++) {
            entropy += dimensions[d].entropy(logits, offset + starts[d]);
        }
        return entropy;
    }

    /** Each dimension's logits only enter its own terms of the sums, so the gradient is each categorical's. */
    @Override
    public void accumulateGradient(float[] logits, int offset, double[] actions, int actionOffset,
            double dLossDLogProb, double dLossDEntropy, double[] gradient) {
        for (int d = 0; d < dimensions.length; d++) {
            dimensions[d].accumulateGradient(logits, offset + starts[d], actions, actionOffset + d, dLossDLogProb,
                    dLossDEntropy, gradient);
        }
    }

    @Override
    public double kl(float[] oldLogits, int oldOffset, float[] logits, int offset) {
        double kl = 0;
        for (int d = 0; d < dimensions.length; d++) {
            kl += dimensions[d].kl(oldLogits, oldOffset + starts[d], logits, offset + starts[d]);
        }
        return kl;
    }

    @Override
    public void accumulateKlGradient(float[] oldLogits, int oldOffset, float[] logits, int offset, double coefficient,
            double[] gradient) {
        for (int d = 0; d < dimensions.length; d++) {
            dimensions[d].accumulateKlGradient(oldLogits, oldOffset + starts[d], logits, offset + starts[d],
                    coefficient, gradient);
        }
    }
}

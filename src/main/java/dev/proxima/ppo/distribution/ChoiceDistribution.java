package dev.proxima.ppo.distribution;

/** A distribution over discrete choices, one categorical per action dimension. */
public interface ChoiceDistribution extends ActionDistribution {

    /**
     * The probability of every choice of the row at {@code offset} (softmax of each dimension's
     * logits), the dimensions one after the other, into {@code target[0 .. paramSize())}.
     */
    void probabilities(float[] logits, int offset, double[] target);
}

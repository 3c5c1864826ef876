package dev.proxima.ppo.distribution;

import java.util.random.RandomGenerator;

/**
 * A family of action distributions parameterised by the policy network's output. All methods
 * work on one row of a flat, row-major batch: {@code params[offset .. offset + paramSize())}
 * and {@code actions[actionOffset .. actionOffset + actionSize())}. Actions are stored as
 * doubles whatever the space (a Discrete action is one whole number).
 */
public interface ActionDistribution {

    /** Network outputs per row. */
    int paramSize();

    /** Values per action. */
    int actionSize();

    void sample(float[] params, int offset, RandomGenerator random, double[] actions, int actionOffset);

    /** The most likely action (deterministic policy). */
    void mode(float[] params, int offset, double[] actions, int actionOffset);

    /** log pi(a|s), summed over action dimensions. */
    double logProb(float[] params, int offset, double[] actions, int actionOffset);

    /** Entropy, summed over action dimensions. */
    double entropy(float[] params, int offset);

    /**
     * Restricts row {@code offset} to the legal actions of {@code mask} (sb3-contrib's
     * MaskableCategorical): masked actions get zero probability in sampling, log-probabilities,
     * entropy and gradients. Only discrete distributions support masks.
     */
    default void applyMask(float[] params, int offset, boolean[] mask, int maskOffset) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support action masks");
    }

    /** How many mask flags one row has (0 when masks are not supported). */
    default int maskSize() {
        return 0;
    }

    /**
     * The parts whose entropy and approx_kl are reported apart (train/entropy/&lt;head&gt;): a
     * MultiDiscrete space's dimensions, a hybrid space's type and parameters; none for a
     * single-headed distribution. {@link #headLogProb} and {@link #headEntropy} sum to
     * {@link #logProb} and {@link #entropy}.
     */
    default java.util.List<String> heads() {
        return java.util.List.of();
    }

    /** Head {@code head}'s part of {@link #logProb}. */
    default double headLogProb(float[] params, int offset, double[] actions, int actionOffset, int head) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no heads");
    }

    /** Head {@code head}'s part of {@link #entropy}. */
    default double headEntropy(float[] params, int offset, int head) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no heads");
    }

    /** KL(old || new) between the distributions of two parameter rows, summed over action dimensions. */
    double kl(float[] oldParams, int oldOffset, float[] params, int offset);

    /** Adds {@code coefficient * d KL(old || new) / d params} to {@code gradient[offset ..]}. */
    void accumulateKlGradient(float[] oldParams, int oldOffset, float[] params, int offset, double coefficient,
            double[] gradient);

    /**
     * Adds to {@code gradient[offset ..]} the gradient with respect to the parameters of
     * {@code dLossDLogProb * logProb(a) + dLossDEntropy * entropy()}.
     */
    void accumulateGradient(float[] params, int offset, double[] actions, int actionOffset,
            double dLossDLogProb, double dLossDEntropy, double[] gradient);
}

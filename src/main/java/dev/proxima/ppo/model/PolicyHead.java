package dev.proxima.ppo.model;

import dev.proxima.ppo.distribution.ActionDistribution;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * How the actor's policy outputs become the action distribution's parameters, and the
 * parameters of its own that train with the actor (SB3's Distribution.proba_distribution_net):
 * {@link DirectHead} (the outputs are the parameters) or {@link StateDependentNoiseHead} (gSDE).
 * The latent features (the actor's last hidden layer) are passed as suppliers, since only gSDE
 * reads them and copying them out costs.
 */
interface PolicyHead {

    /** Policy outputs per row the actor network has. */
    int policyOutputs();

    /** Whether {@link #parameters} reads the latent features. */
    boolean needsLatent();

    /** The distribution parameters of {@code rows} rows of policy outputs. */
    float[] parameters(float[] policyOutputs, Supplier<float[]> latent, int rows);

    /** Exploration in a rollout: draws new noise for {@code envs} environments; no-op without gSDE. */
    void resetNoise(int envs, RandomGenerator random);

    /**
     * A rollout's exploratory action for row {@code row}: a sample of the distribution, or under
     * gSDE its mode plus the noise of the row's environment ({@code latent} is null without gSDE).
     */
    void explore(ActionDistribution distribution, float[] params, int row, float[] latent, RandomGenerator random,
            double[] actions);

    /** d(loss)/d(policy outputs) from d(loss)/d(distribution parameters). */
    double[] policyOutputGradient(double[] parameterGradient, int rows);

    /** Keeps the gradient of the head's own parameters until {@link #step}; returns its squared norm. */
    double backward(double[] parameterGradient, Supplier<float[]> latent, int rows);

    void step(double gradientScale);

    void setLearningRate(double learningRate);

    boolean parametersFinite();

    /** SB3's train/std: the mean standard deviation, given one observation's distribution parameters. */
    double meanStd(Supplier<float[]> parameters);
}

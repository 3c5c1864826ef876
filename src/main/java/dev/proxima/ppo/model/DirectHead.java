package dev.proxima.ppo.model;

import dev.proxima.ppo.distribution.ActionDistribution;
import dev.proxima.ppo.distribution.GaussianParameters;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The policy outputs are the distribution's parameters (logits, or a Gaussian's mean and
 * log-std). A fixed log-std (logStd fixed) is held by the actor's biases and gets no gradient.
 */
final class DirectHead implements PolicyHead {

    private final ActionDistribution distribution;
    private final boolean fixedLogStd;

    DirectHead(ActionDistribution distribution, boolean fixedLogStd) {
        this.distribution = distribution;
        this.fixedLogStd = fixedLogStd;
    }

    @Override
    public int policyOutputs() {
        return distribution.paramSize();
    }

    @Override
    public boolean needsLatent() {
        return false;
    }

    @Override
    public float[] parameters(float[] policyOutputs, Supplier<float[]> latent, int rows) {
        return policyOutputs;
    }

    @Override
    public void resetNoise(int envs, RandomGenerator random) {
    }

    @Override
    public void explore(ActionDistribution distribution, float[] params, int row, float[] latent,
            RandomGenerator random, double[] actions) {
        distribution.sample(params, row * distribution.paramSize(), random, actions, row * distribution.actionSize());
    }

    @Override
    public double[] policyOutputGradient(double[] parameterGradient, int rows) {
        if (!fixedLogStd) {
            return parameterGradient;
        }
        int paramSize = distribution.paramSize();
        GaussianParameters gaussian = (GaussianParameters) distribution;
        int from = gaussian.logStdFrom();
        int to = from + gaussian.gaussianDimensions();
        double[] gradient = parameterGradient.clone();
        for (int r = 0; r < rows; r++) {
            java.util.Arrays.fill(gradient, r * paramSize + from, r * paramSize + to, 0.0);
        }
        return gradient;
    }

    @Override
    public double backward(double[] parameterGradient, Supplier<float[]> latent, int rows) {
        return 0.0;
    }

    @Override
    public void step(double gradientScale) {
    }

    @Override
    public void setLearningRate(double learningRate) {
    }

    @Override
    public boolean parametersFinite() {
        return true;
    }

    @Override
    public double meanStd(Supplier<float[]> parameters) {
        GaussianParameters gaussian = (GaussianParameters) distribution;
        double[] std = gaussian.std(parameters.get(), 0);
        double total = 0;
        for (double value : std) {
            total += value;
        }
        return total / std.length;
    }
}

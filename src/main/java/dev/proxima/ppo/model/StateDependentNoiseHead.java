package dev.proxima.ppo.model;

import dev.proxima.ppo.distribution.ActionDistribution;
import dev.proxima.ppo.distribution.StateDependentNoiseDistribution;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * gSDE: the actor outputs only the means; the log-std of each row comes from the latent
 * features and the noise's own log-std matrix, which trains with the actor.
 */
final class StateDependentNoiseHead implements PolicyHead {

    private final StateDependentNoiseDistribution noise;
    private final int d;

    StateDependentNoiseHead(StateDependentNoiseDistribution noise, int d) {
        this.noise = noise;
        this.d = d;
    }

    StateDependentNoiseDistribution noise() {
        return noise;
    }

    @Override
    public int policyOutputs() {
        return d;
    }

    @Override
    public boolean needsLatent() {
        return true;
    }

    @Override
    public float[] parameters(float[] policyOutputs, Supplier<float[]> latent, int rows) {
        return noise.parameters(policyOutputs, d, latent.get(), rows);
    }

    @Override
    public void resetNoise(int envs, RandomGenerator random) {
        noise.resetNoise(envs, random);
    }

    @Override
    public void explore(ActionDistribution distribution, float[] params, int row, float[] latent,
            RandomGenerator random, double[] actions) {
        distribution.mode(params, row * distribution.paramSize(), actions, row * distribution.actionSize());
        noise.addNoise(latent, row, row, actions, row * distribution.actionSize());
    }

    /** The means' gradient; the log-std's reaches the noise's matrix in {@link #backward}. */
    @Override
    public double[] policyOutputGradient(double[] parameterGradient, int rows) {
        double[] gradient = new double[rows * d];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(parameterGradient, r * 2 * d, gradient, r * d, d);
        }
        return gradient;
    }

    @Override
    public double backward(double[] parameterGradient, Supplier<float[]> latent, int rows) {
        return noise.backward(parameterGradient, latent.get(), rows);
    }

    @Override
    public void step(double gradientScale) {
        noise.step(gradientScale);
    }

    @Override
    public void setLearningRate(double learningRate) {
        noise.setLearningRate(learningRate);
    }

    @Override
    public boolean parametersFinite() {
        return noise.parametersFinite();
    }

    @Override
    public double meanStd(Supplier<float[]> parameters) {
        return noise.meanStd();
    }
}

package dev.proxima.ppo.model;

import dev.proxima.ppo.config.PpoConfig;
import java.util.concurrent.ExecutorService;

/**
 * One trunk with two linear heads (SB3's shared net_arch): the last layer's outputs are the
 * policy outputs followed by the value, so the value is the last column. One Adam for all of it,
 * whose rate and epsilon may differ for the trunk and each head (the layered optimizer).
 */
final class SharedNetwork implements ActorCriticNetworks {

    private final Mlp network;
    private final int width;
    private final int policyOutputs;

    SharedNetwork(Mlp network) {
        this.network = network;
        this.width = network.outputSize();
        this.policyOutputs = width - 1;
    }

    @Override
    public int observationSize() {
        return network.inputSize();
    }

    @Override
    public Mlp actor() {
        return network;
    }

    @Override
    public float[] policyOutputs(float[] observations, int rows) {
        return policyColumns(network.output(observations, rows), rows);
    }

    @Override
    public float[][] policyOutputsWithLatent(float[] observations, int rows) {
        float[][] outputsAndLatent = network.outputWithHidden(observations, rows);
        return new float[][] {policyColumns(outputsAndLatent[0], rows), outputsAndLatent[1]};
    }

    @Override
    public float[] values(float[] observations, int rows) {
        return valueColumn(network.output(observations, rows), rows);
    }

    @Override
    public Outputs forward(float[] observations, int rows) {
        float[] outputs = network.forward(observations, rows);
        return new Outputs(policyColumns(outputs, rows), valueColumn(outputs, rows));
    }

    private float[] policyColumns(float[] outputs, int rows) {
        return ActorCriticNetworks.columns(outputs, rows, width, 0, policyOutputs);
    }

    private float[] valueColumn(float[] outputs, int rows) {
        return ActorCriticNetworks.columns(outputs, rows, width, width - 1, 1);
    }

    @Override
    public float[] lastLatent() {
        return network.lastHidden();
    }

    @Override
    public SquaredNorms backward(double[] policyOutputGradient, double[] valueGradient, int rows) {
        double[] outputGradient = new double[rows * width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(policyOutputGradient, r * policyOutputs, outputGradient, r * width, policyOutputs);
            outputGradient[r * width + width - 1] = valueGradient[r];
        }
        return new SquaredNorms(network.backward(outputGradient, rows), 0.0);
    }

    @Override
    public void step(double gradientScale) {
        network.step(gradientScale);
    }

    @Override
    public float[] forwardValues(float[] observations, int rows) {
        return forward(observations, rows).values();
    }

    /** The policy outputs get no gradient: the trunk and the value head fit the returns. */
    @Override
    public double stepValues(double[] valueGradient, int rows, double maxGradNorm) {
        double[] outputGradient = new double[rows * width];
        for (int r = 0; r < rows; r++) {
            outputGradient[r * width + width - 1] = valueGradient[r];
        }
        double norm = Math.sqrt(network.backward(outputGradient, rows));
        network.step(ActorCriticNetworks.clipScale(norm, maxGradNorm));
        return norm;
    }

    /**
     * One Adam over the whole network, or the layered optimizer when the trunk and the two heads
     * have rates or epsilons of their own.
     */
    @Override
    public void setLearningRates(PpoConfig.Optimizer optimizer, double scale) {
        PpoConfig.Layers layers = optimizer.layers();
        if (!layers.differ()) {
            network.setLearningRate(layers.trunkLearningRate() * scale);
            return;
        }
        network.setLayeredRates(layers.trunkLearningRate() * scale, layers.trunkAdamEpsilon(),
                new int[] {0, policyOutputs},
                new double[] {layers.policyHeadLearningRate() * scale, layers.valueHeadLearningRate() * scale},
                new double[] {layers.policyHeadAdamEpsilon(), layers.valueHeadAdamEpsilon()});
    }

    @Override
    public void rescaleValueHead(double scale, double shift) {
        network.rescaleOutput(width - 1, scale, shift);
    }

    @Override
    public boolean parametersFinite() {
        return network.parametersFinite();
    }

    @Override
    public void trainCriticOn(ExecutorService criticThread) {
    }

    @Override
    public byte[] criticBytes() {
        return null;
    }
}

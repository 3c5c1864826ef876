package dev.proxima.ppo.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.proxima.ppo.config.Activation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The fused passes of {@link Mlp} against DL4J's own: the same network (the saved model, read
 * back by DL4J) fed the same inputs and output gradients gives the same outputs, gradient norms,
 * and, Adam step after Adam step, the same parameters and Adam state, to float rounding.
 */
class FusedMlpTest {

    private static final double TOLERANCE = 1e-6;

    @ParameterizedTest(name = "{0} {1}x{2}, batch {3}, state-independent {4}")
    @CsvSource({
            "TANH, 64, 64, 256, false",
            "TANH, 64, 64, 1, false",
            "TANH, 64, 64, 8, true",
            "RELU, 64, 64, 256, false",
            "TANH, 256, 128, 64, true",
            "RELU, 32, 0, 37, true"})
    void trainsAsDl4jDoes(Activation activation, int first, int second, int batch, boolean stateIndependent) {
        List<Integer> hidden = second == 0 ? List.of(first) : List.of(first, second);
        int inputs = 5;
        Mlp fused = Mlp.create(inputs, hidden, activation, new int[] {3, 3}, new double[] {0.01, 1}, true, 3e-3,
                1e-5, new SplittableRandom(7));
        if (stateIndependent) {
            fused.makeStateIndependent(3, 6, -0.5);
        }
        MultiLayerNetwork dl4j = restore(fused.toBytes());
        Random random = new Random(11);

        for (int step = 0; step < 6; step++) {
            float[] observations = gaussian(random, batch * inputs, 1.5);
            assertClose(fused.output(observations, batch), dl4j.output(columnMajor(observations, batch, inputs)));

            float[] fusedOutputs = fused.forward(observations, batch);
            dl4j.setInput(columnMajor(observations, batch, inputs));
            List<INDArray> activations = dl4j.feedForward(true, false);
            assertClose(fusedOutputs, activations.get(activations.size() - 1));
            assertClose(fused.lastHidden(), activations.get(activations.size() - 2));

            double[] outputGradient = new double[batch * 6];
            for (int i = 0; i < outputGradient.length; i++) {
                outputGradient[i] = random.nextGaussian() / batch;
            }
            double fusedNorm = fused.backward(outputGradient, batch);
            INDArray dl4jGradient = dl4jBackward(dl4j, outputGradient, batch, stateIndependent ? 3 : -1);
            double dl4jNorm = 0;
            for (float g : dl4jGradient.toFloatVector()) {
                dl4jNorm += (double) g * g;
            }
            dl4jNorm = Math.sqrt(dl4jNorm);
            assertThat(Math.sqrt(fusedNorm)).isCloseTo(dl4jNorm, within(
                    TOLERANCE * Math.max(1, dl4jNorm)));

            double scale = step % 2 == 0 ? 1.0 : 0.37;
            fused.step(scale);
            dl4jStep(dl4j, dl4jGradient, scale);

            MultiLayerNetwork saved = restore(fused.toBytes());
            assertClose(saved.params().toFloatVector(), dl4j.params());
            assertClose(saved.getUpdater().getStateViewArray().toFloatVector(), dl4j.getUpdater().getStateViewArray());
            assertThat(saved.getLayerWiseConfigurations().getIterationCount())
                    .isEqualTo(dl4j.getLayerWiseConfigurations().getIterationCount());
        }
    }

    @ParameterizedTest(name = "resumed with optimizer state {0}")
    @CsvSource({"true", "false"})
    void aSavedModelContinuesWhereItStopped(boolean withOptimizerState) {
        Mlp original = Mlp.create(4, List.of(16, 16), Activation.TANH, new int[] {2}, new double[] {0.01}, true, 1e-2,
                1e-5, new SplittableRandom(3));
        Random random = new Random(5);
        float[] observations = gaussian(random, 32 * 4, 1);
        double[] outputGradient = new double[32 * 2];
        for (int i = 0; i < outputGradient.length; i++) {
            outputGradient[i] = random.nextGaussian() / 32;
        }
        for (int step = 0; step < 3; step++) {
            original.forward(observations, 32);
            original.backward(outputGradient, 32);
            original.step(1);
        }
        Mlp resumed = Mlp.fromBytes(original.toBytes(), -1, -1, withOptimizerState);
        Mlp fresh = Mlp.fromBytes(original.toBytes(), -1, -1, false);
        for (Mlp mlp : List.of(original, resumed, fresh)) {
            mlp.forward(observations, 32);
            mlp.backward(outputGradient, 32);
            mlp.step(1);
        }
        float[] expected = original.output(observations, 32);
        if (withOptimizerState) {
            assertThat(resumed.output(observations, 32)).containsExactly(expected);
        } else {
            assertThat(resumed.output(observations, 32)).containsExactly(fresh.output(observations, 32));
            assertThat(resumed.output(observations, 32)).isNotEqualTo(expected);
        }
    }

    /** DL4J's backward pass, as Mlp ran it before the fused passes. */
    private static INDArray dl4jBackward(MultiLayerNetwork network, double[] outputGradient, int batch,
            int stateIndependentFrom) {
        int outputs = outputGradient.length / batch;
        float[] data = new float[outputGradient.length];
        for (int r = 0; r < batch; r++) {
            for (int c = 0; c < outputs; c++) {
                data[c * batch + r] = (float) outputGradient[r * outputs + c];
            }
        }
        Gradient gradient = network.backpropGradient(Nd4j.create(data, new long[] {batch, outputs}, 'f'),
                LayerWorkspaceMgr.noWorkspaces()).getFirst();
        if (stateIndependentFrom >= 0) {
            String last = (network.getnLayers() - 1) + "_W";
            gradient.getGradientFor(last).get(NDArrayIndex.all(), NDArrayIndex.interval(stateIndependentFrom, outputs))
                    .assign(0);
        }
        return gradient.gradient();
    }

    /** ND4J's Adam on the network's flat gradient view, as Mlp stepped before the fused passes. */
    private static void dl4jStep(MultiLayerNetwork network, INDArray gradient, double scale) {
        if (scale != 1.0) {
            gradient.muli(scale);
        }
        var configuration = network.getLayerWiseConfigurations();
        int iteration = configuration.getIterationCount();
        for (UpdaterBlock block : ((BaseMultiLayerUpdater<?>) network.getUpdater()).getUpdaterBlocks()) {
            block.getGradientUpdater().applyUpdater(block.getGradientView(), iteration, configuration.getEpochCount());
        }
        network.params().subi(gradient);
        configuration.setIterationCount(iteration + 1);
    }

    private static MultiLayerNetwork restore(byte[] model) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(model), true);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static float[] gaussian(Random random, int count, double scale) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * scale);
        }
        return values;
    }

    private static INDArray columnMajor(float[] rowMajor, int rows, int cols) {
        return Nd4j.create(rowMajor, new long[] {rows, cols}, 'c').dup('f');
    }

    /** Row-major {@code actual} against DL4J's matrix, elementwise, relative to the larger of 1 and the value. */
    private static void assertClose(float[] actual, INDArray expected) {
        float[] expectedRows = expected.dup('c').data().asFloat();
        assertThat(actual).hasSameSizeAs(expectedRows);
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expectedRows[i]) / Math.max(1, Math.abs(expectedRows[i])));
        }
        assertThat(worst).as("largest difference from DL4J").isLessThan(TOLERANCE);
    }

}

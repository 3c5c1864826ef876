package dev.proxima.ppo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.random.RandomGenerator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

/**
 * One DL4J multilayer perceptron trained on an externally computed loss gradient: the last
 * layer is a linear {@link DenseLayer} (not an OutputLayer), PPO's gradient with respect to
 * its outputs comes from plain Java, and Adam (with its state inside the network, so it is
 * saved with the model) applies the update.
 */
final class Mlp {

    private final MultiLayerNetwork network;
    private final int inputSize;
    private final int outputSize;
    private Gradient pendingGradient;
    /** Outputs from this index on ignore the input: their weights stay zero, only the bias learns. */
    private int stateIndependentFrom = -1;

    private Mlp(MultiLayerNetwork network) {
        this.network = network;
        this.inputSize = (int) network.layerInputSize(0);
        this.outputSize = (int) network.layerSize(network.getnLayers() - 1);
    }

    /** Orthogonally initialised, zero biases, gain sqrt(2) on hidden layers and {@code headGain} on the last. */
    static Mlp create(int inputSize, List<Integer> hiddenSizes, String activation, int outputSize,
            double headGain, double learningRate, double adamEpsilon, RandomGenerator random) {
        Nd4jRuntime.init();
        Activation hiddenActivation = NetworkConfig.RELU.equals(activation) ? Activation.RELU : Activation.TANH;
        var layers = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .updater(new Adam(learningRate, 0.9, 0.999, adamEpsilon))
                .trainingWorkspaceMode(WorkspaceMode.NONE)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list();
        int previous = inputSize;
        for (int size : hiddenSizes) {
            layers.layer(new DenseLayer.Builder().nIn(previous).nOut(size).activation(hiddenActivation).build());
            previous = size;
        }
        layers.layer(new DenseLayer.Builder().nIn(previous).nOut(outputSize).activation(Activation.IDENTITY).build());
        MultiLayerNetwork network = new MultiLayerNetwork(layers.build());
        network.init();

        int layerCount = hiddenSizes.size() + 1;
        for (int layer = 0; layer < layerCount; layer++) {
            INDArray weights = network.getParam(layer + "_W");
            int rows = (int) weights.size(0);
            int cols = (int) weights.size(1);
            double gain = layer == layerCount - 1 ? headGain : Math.sqrt(2);
            // DL4J stores W as [nIn, nOut], PyTorch as [nOut, nIn]: orthogonality is kept by the transpose.
            float[] values = OrthogonalInit.matrix(cols, rows, gain, random);
            network.setParam(layer + "_W", Nd4j.create(values, new long[] {cols, rows}, DataType.FLOAT).transpose().dup('f'));
            network.setParam(layer + "_b", Nd4j.zeros(DataType.FLOAT, 1, cols));
        }
        return new Mlp(network);
    }

    static Mlp fromBytes(byte[] model, int stateIndependentFrom, boolean withOptimizerState) {
        Nd4jRuntime.init();
        try {
            Mlp mlp = new Mlp(ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(model),
                    withOptimizerState));
            mlp.stateIndependentFrom = stateIndependentFrom;
            return mlp;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model", e);
        }
    }

    /**
     * Makes outputs {@code from..} state-independent learned parameters with initial value
     * {@code initial}: the last layer's weights into them are zeroed and kept at zero, so each
     * output is its bias alone (SB3's state-independent log_std, inside the DL4J model).
     */
    void makeStateIndependent(int from, double initial) {
        INDArray weights = network.getParam(lastLayer() + "_W");
        INDArray bias = network.getParam(lastLayer() + "_b");
        weights.get(NDArrayIndex.all(), NDArrayIndex.interval(from, outputSize)).assign(0);
        bias.get(NDArrayIndex.all(), NDArrayIndex.interval(from, outputSize)).assign(initial);
        stateIndependentFrom = from;
    }

    int stateIndependentFrom() {
        return stateIndependentFrom;
    }

    private int lastLayer() {
        return network.getnLayers() - 1;
    }

    byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(network, out, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    int inputSize() {
        return inputSize;
    }

    int outputSize() {
        return outputSize;
    }

    /** Inference on {@code batch} rows of {@code inputs} (row-major). */
    float[] output(float[] inputs, int batch) {
        return toRowMajor(network.output(columnMajor(inputs, batch, inputSize), false));
    }

    /** Training-mode forward pass whose activations {@link #backward} then uses. */
    float[] forward(float[] inputs, int batch) {
        network.setInput(columnMajor(inputs, batch, inputSize));
        List<INDArray> activations = network.feedForward(true, false);
        return toRowMajor(activations.get(activations.size() - 1));
    }

    /*
     * ND4J's matrix multiply goes straight to BLAS only when both operands are column-major
     * ('f'); other layouts are first copied element by element, which on these small matrices
     * cost several times the multiplication itself. So arrays enter the network as 'f', built
     * from Java arrays here rather than by ND4J's dup('f').
     */
    private static INDArray columnMajor(float[] rowMajor, int rows, int cols) {
        float[] data = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                data[c * rows + r] = rowMajor[r * cols + c];
            }
        }
        return Nd4j.create(data, new long[] {rows, cols}, 'f');
    }

    private static INDArray columnMajor(double[] rowMajor, int rows, int cols) {
        float[] data = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                data[c * rows + r] = (float) rowMajor[r * cols + c];
            }
        }
        return Nd4j.create(data, new long[] {rows, cols}, 'f');
    }

    private static float[] toRowMajor(INDArray matrix) {
        int rows = (int) matrix.size(0);
        int cols = (int) matrix.size(1);
        if (matrix.ordering() == 'c' || cols == 1 || rows == 1) {
            return matrix.isView() ? matrix.dup().data().asFloat() : matrix.data().asFloat();
        }
        float[] data = matrix.isView() ? matrix.dup('f').data().asFloat() : matrix.data().asFloat();
        float[] result = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                result[r * cols + c] = data[c * rows + r];
            }
        }
        return result;
    }

    /**
     * Back-propagates d(loss)/d(outputs) of the last {@link #forward} (already divided by the
     * batch size) and keeps the parameter gradient until {@link #step}. Returns its squared L2 norm.
     */
    double backward(double[] outputGradient, int batch) {
        Pair<Gradient, INDArray> result = network.backpropGradient(
                columnMajor(outputGradient, batch, outputSize), LayerWorkspaceMgr.noWorkspaces());
        pendingGradient = result.getFirst();
        if (stateIndependentFrom >= 0) {
            pendingGradient.getGradientFor(lastLayer() + "_W")
                    .get(NDArrayIndex.all(), NDArrayIndex.interval(stateIndependentFrom, outputSize)).assign(0);
        }
        // summed in Java: ND4J's norm2 on this flattened view is a slow reduction path
        double squaredNorm = 0;
        for (float g : pendingGradient.gradient().toFloatVector()) {
            squaredNorm += (double) g * g;
        }
        return squaredNorm;
    }

    /** Scales the pending gradient, then lets Adam turn it into an update and applies it. */
    void step(double gradientScale) {
        INDArray gradient = pendingGradient.gradient();
        if (gradientScale != 1.0) {
            gradient.muli(gradientScale);
        }
        var configuration = network.getLayerWiseConfigurations();
        int iteration = configuration.getIterationCount();
        // Adam straight on the flat gradient: the network's updater.update() would first
        // divide by the batch size (the gradient is already a mean) and walk every parameter
        // for regularisation that is not configured, which costs as much as Adam itself.
        for (UpdaterBlock block : ((BaseMultiLayerUpdater<?>) network.getUpdater()).getUpdaterBlocks()) {
            block.getGradientUpdater().applyUpdater(block.getGradientView(), iteration, configuration.getEpochCount());
        }
        network.params().subi(gradient);
        configuration.setIterationCount(iteration + 1);
        pendingGradient = null;
    }

    void setLearningRate(double learningRate) {
        network.setLearningRate(learningRate);
    }

    /** Whether every parameter is a finite number. */
    boolean parametersFinite() {
        INDArray params = network.params();
        return !params.isNaN().any() && !params.isInfinite().any();
    }
}

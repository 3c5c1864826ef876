package dev.proxima.ppo.model;

import dev.proxima.ppo.optim.Adam;
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
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One DL4J multilayer perceptron trained on an externally computed loss gradient: the last
 * layer is a linear {@link DenseLayer} (not an OutputLayer), PPO's gradient with respect to
 * its outputs comes from plain Java, and Adam (with its state inside the network, so it is
 * saved with the model; {@link Adam#config}) applies the update.
 */
final class Mlp {

    private final MultiLayerNetwork network;
    private final int inputSize;
    private final int outputSize;
    private Gradient pendingGradient;
    /** Outputs [from, to) ignore the input: their weights stay zero, only the bias learns. */
    private int stateIndependentFrom = -1;
    private int stateIndependentTo = -1;
    /** The last hidden layer's activations of the last {@link #forward}, and their row-major copy once asked for. */
    private INDArray lastHidden;
    private float[] lastHiddenRows;

    private Mlp(MultiLayerNetwork network) {
        this.network = network;
        this.inputSize = (int) network.layerInputSize(0);
        this.outputSize = (int) network.layerSize(network.getnLayers() - 1);
    }

    /**
     * A network whose last layer is made of heads, {@code headSizes[i]} outputs each: with
     * {@code orthogonal}, orthogonally initialised with zero biases, gain sqrt(2) on hidden layers
     * and {@code headGains[i]} on head i (each head initialised as a matrix of its own, as SB3's
     * separate Linear heads); otherwise PyTorch's default Linear initialisation, U(-1/sqrt(fan_in),
     * 1/sqrt(fan_in)) for weights and biases (SB3's ortho_init=False).
     */
    static Mlp create(int inputSize, List<Integer> hiddenSizes, dev.proxima.ppo.config.Activation activation,
            int[] headSizes, double[] headGains, boolean orthogonal, double learningRate, double adamEpsilon,
            RandomGenerator random) {
        Nd4jRuntime.init();
        Activation hiddenActivation = switch (activation) {
            case RELU -> Activation.RELU;
            case TANH -> Activation.TANH;
        };
        var layers = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .updater(Adam.config(learningRate, adamEpsilon))
                .trainingWorkspaceMode(WorkspaceMode.NONE)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list();
        int previous = inputSize;
        for (int size : hiddenSizes) {
            layers.layer(new DenseLayer.Builder().nIn(previous).nOut(size).activation(hiddenActivation).build());
            previous = size;
        }
        int outputSize = 0;
        for (int size : headSizes) {
            outputSize += size;
        }
        layers.layer(new DenseLayer.Builder().nIn(previous).nOut(outputSize).activation(Activation.IDENTITY).build());
        MultiLayerNetwork network = new MultiLayerNetwork(layers.build());
        network.init();

        int layerCount = hiddenSizes.size() + 1;
        for (int layer = 0; layer < layerCount; layer++) {
            int fanIn = (int) network.getParam(layer + "_W").size(0);
            if (layer < layerCount - 1) {
                int fanOut = (int) network.getParam(layer + "_W").size(1);
                setBlock(network, layer, 0, initialWeights(fanIn, fanOut, Math.sqrt(2), orthogonal, random),
                        initialBiases(fanIn, fanOut, orthogonal, random));
            } else {
                int from = 0;
                for (int head = 0; head < headSizes.length; head++) {
                    setBlock(network, layer, from,
                            initialWeights(fanIn, headSizes[head], headGains[head], orthogonal, random),
                            initialBiases(fanIn, headSizes[head], orthogonal, random));
                    from += headSizes[head];
                }
            }
        }
        return new Mlp(network);
    }

    /** [fanOut, fanIn] row-major, PyTorch's weight layout. */
    private static float[] initialWeights(int fanIn, int fanOut, double gain, boolean orthogonal,
            RandomGenerator random) {
        if (orthogonal) {
            return OrthogonalInit.matrix(fanOut, fanIn, gain, random);
        }
        return uniform(fanOut * fanIn, 1 / Math.sqrt(fanIn), random);
    }

    private static float[] initialBiases(int fanIn, int fanOut, boolean orthogonal, RandomGenerator random) {
        return orthogonal ? new float[fanOut] : uniform(fanOut, 1 / Math.sqrt(fanIn), random);
    }

    private static float[] uniform(int count, double bound, RandomGenerator random) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextDouble(-bound, bound);
        }
        return values;
    }

    /** Sets the weights and biases of outputs {@code from..} of a layer from PyTorch's [fanOut, fanIn] layout. */
    private static void setBlock(MultiLayerNetwork network, int layer, int from, float[] weights, float[] biases) {
        INDArray w = network.getParam(layer + "_W");
        int fanIn = (int) w.size(0);
        int fanOut = biases.length;
        // DL4J stores W as [nIn, nOut], PyTorch as [nOut, nIn]: orthogonality is kept by the transpose.
        w.get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + fanOut))
                .assign(Nd4j.create(weights, new long[] {fanOut, fanIn}, DataType.FLOAT).transpose());
        network.getParam(layer + "_b").get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + fanOut))
                .assign(Nd4j.create(biases, new long[] {1, fanOut}, DataType.FLOAT));
    }

    static Mlp fromBytes(byte[] model, int stateIndependentFrom, int stateIndependentTo, boolean withOptimizerState) {
        Nd4jRuntime.init();
        try {
            Mlp mlp = new Mlp(ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(model),
                    withOptimizerState));
            mlp.stateIndependentFrom = stateIndependentFrom;
            // archives from before shared networks: the state-independent outputs ran to the end
            mlp.stateIndependentTo = stateIndependentTo < 0 && stateIndependentFrom >= 0
                    ? mlp.outputSize : stateIndependentTo;
            return mlp;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model", e);
        }
    }

    /**
     * Makes outputs {@code [from, to)} state-independent learned parameters with initial value
     * {@code initial}: the last layer's weights into them are zeroed and kept at zero, so each
     * output is its bias alone (SB3's state-independent log_std, inside the DL4J model).
     */
    void makeStateIndependent(int from, int to, double initial) {
        INDArray weights = network.getParam(lastLayer() + "_W");
        weights.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to)).assign(0);
        stateIndependentFrom = from;
        stateIndependentTo = to;
        setBiases(from, to, initial);
    }

    /** Sets the biases of outputs {@code [from, to)}. */
    void setBiases(int from, int to, double value) {
        network.getParam(lastLayer() + "_b").get(NDArrayIndex.all(), NDArrayIndex.interval(from, to)).assign(value);
    }

    int stateIndependentFrom() {
        return stateIndependentFrom;
    }

    int stateIndependentTo() {
        return stateIndependentTo;
    }

    /** Width of the last hidden layer (the policy's latent features). */
    int lastHiddenSize() {
        return (int) network.layerSize(lastLayer() - 1);
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

    /** Inference outputs and last hidden activations of {@code batch} rows: {outputs, hidden}. */
    float[][] outputWithHidden(float[] inputs, int batch) {
        List<INDArray> activations = network.feedForward(columnMajor(inputs, batch, inputSize), false);
        int last = activations.size() - 1;
        return new float[][] {toRowMajor(activations.get(last)), toRowMajor(activations.get(last - 1))};
    }

    /** Training-mode forward pass whose activations {@link #backward} then uses. */
    float[] forward(float[] inputs, int batch) {
        network.setInput(columnMajor(inputs, batch, inputSize));
        List<INDArray> activations = network.feedForward(true, false);
        lastHidden = activations.get(activations.size() - 2);
        lastHiddenRows = null;
        return toRowMajor(activations.get(activations.size() - 1));
    }

    /** The last hidden layer's activations of the last {@link #forward}, row-major. */
    float[] lastHidden() {
        if (lastHiddenRows == null) {
            lastHiddenRows = toRowMajor(lastHidden);
        }
        return lastHiddenRows;
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
                    .get(NDArrayIndex.all(), NDArrayIndex.interval(stateIndependentFrom, stateIndependentTo)).assign(0);
        }
        // summed in Java: ND4J's norm2 on this flattened view is a slow reduction path
        double squaredNorm = 0;
        for (float g : pendingGradient.gradient().toFloatVector()) {
            squaredNorm += (double) g * g;
        }
        return squaredNorm;
    }

    /** Scales the pending gradient, then lets the network's Adam turn it into an update and applies it. */
    void step(double gradientScale) {
        INDArray gradient = pendingGradient.gradient();
        if (gradientScale != 1.0) {
            gradient.muli(gradientScale);
        }
        Adam.step(network, gradient);
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

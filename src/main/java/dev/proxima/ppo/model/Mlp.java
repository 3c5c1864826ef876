package dev.proxima.ppo.model;

import dev.proxima.ppo.optim.Adam;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One DL4J multilayer perceptron trained on an externally computed loss gradient: the last
 * layer is a linear {@link DenseLayer} (not an OutputLayer) and PPO's gradient with respect to
 * its outputs comes from plain Java.
 *
 * <p>The DL4J network is the model's configuration and its saved form (parameters, Adam's state
 * and step count, the checkpoint format). Between loading and saving, the parameters and Adam's
 * moments live in Java arrays and a {@link DenseStack} runs the passes: fused forward and
 * backward on reused buffers and one Adam loop, the same arithmetic as DL4J's DenseLayer and
 * ND4J's Adam without their per-op cost.
 * {@link #toBytes} writes the arrays back into the network.
 */
final class Mlp {

    private final MultiLayerNetwork network;
    private final DenseStack stack;
    private final DenseStack.Parameters gradient;
    private final DenseStack.Parameters firstMoment;
    private final DenseStack.Parameters secondMoment;
    private int adamIteration;
    /** The hidden layers' (the trunk's) Adam rate and epsilon; without heads, the last layer's too. */
    private double learningRate;
    private double adamEpsilon;
    /**
     * Layered optimizer (null: none): the last layer's outputs split at {@code headStarts} into
     * heads, head h with rate {@code headLearningRates[h]} and epsilon {@code headAdamEpsilons[h]}.
     */
    private int[] headStarts;
    private double[] headLearningRates;
    private double[] headAdamEpsilons;
    private DenseStack.Pass pass;
    /** Outputs [from, to) ignore the input: their weights stay zero, only the bias learns. */
    private int stateIndependentFrom = -1;
    private int stateIndependentTo = -1;

    private Mlp(MultiLayerNetwork network) {
        this.network = network;
        int layers = network.getnLayers();
        int[] widths = new int[layers + 1];
        widths[0] = (int) network.layerInputSize(0);
        for (int l = 0; l < layers; l++) {
            widths[l + 1] = (int) network.layerSize(l);
        }
        this.stack = new DenseStack(widths, hiddenActivation(network));
        this.gradient = stack.newParameters();
        this.firstMoment = stack.newParameters();
        this.secondMoment = stack.newParameters();
        stack.parameters.setFlat(network.params().toFloatVector(), 0);
        var adam = (org.nd4j.linalg.learning.config.Adam) layer(network, 0).getIUpdater();
        this.learningRate = adam.getLearningRate();
        this.adamEpsilon = adam.getEpsilon();
        readAdamState();
    }

    private static BaseLayer layer(MultiLayerNetwork network, int index) {
        return (BaseLayer) network.getLayerWiseConfigurations().getConf(index).getLayer();
    }

    private static dev.proxima.ppo.config.Activation hiddenActivation(MultiLayerNetwork network) {
        if (network.getnLayers() < 2) {
            return dev.proxima.ppo.config.Activation.TANH;
        }
        IActivation activation = layer(network, 0).getActivationFn();
        if (activation instanceof ActivationTanH) {
            return dev.proxima.ppo.config.Activation.TANH;
        }
        if (activation instanceof ActivationReLU) {
            return dev.proxima.ppo.config.Activation.RELU;
        }
        throw new IllegalArgumentException("unsupported hidden activation " + activation);
    }

    /**
     * Adam's moments from the network's updater state: DL4J keeps one block per run of layers with
     * the same updater, each block's state its first moments then its second, over the block's
     * parameter range.
     */
    private void readAdamState() {
        adamIteration = network.getLayerWiseConfigurations().getIterationCount();
        int count = stack.parameters.count();
        float[] m = new float[count];
        float[] v = new float[count];
        for (UpdaterBlock block : updaterBlocks()) {
            float[] state = block.getUpdaterView().toFloatVector();
            int from = block.getParamOffsetStart();
            int length = block.getParamOffsetEnd() - from;
            System.arraycopy(state, 0, m, from, length);
            System.arraycopy(state, length, v, from, length);
        }
        firstMoment.setFlat(m, 0);
        secondMoment.setFlat(v, 0);
    }

    private void writeBack() {
        network.params().assign(Nd4j.create(stack.parameters.flat(), new long[] {1, stack.parameters.count()},
                DataType.FLOAT));
        float[] m = firstMoment.flat();
        float[] v = secondMoment.flat();
        for (UpdaterBlock block : updaterBlocks()) {
            int from = block.getParamOffsetStart();
            int length = block.getParamOffsetEnd() - from;
            float[] state = new float[2 * length];
            System.arraycopy(m, from, state, 0, length);
            System.arraycopy(v, from, state, length, length);
            block.getUpdaterView().assign(Nd4j.create(state, new long[] {1, state.length}, DataType.FLOAT));
        }
        network.getLayerWiseConfigurations().setIterationCount(adamIteration);
        network.setLearningRate(learningRate);
    }

    private List<UpdaterBlock> updaterBlocks() {
        return ((BaseMultiLayerUpdater<?>) network.getUpdater()).getUpdaterBlocks();
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
                    ? mlp.outputSize() : stateIndependentTo;
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
        int last = stack.layers() - 1;
        int in = stack.width(last);
        Arrays.fill(stack.parameters.weights[last], from * in, to * in, 0f);
        stack.weightsChanged();
        stateIndependentFrom = from;
        stateIndependentTo = to;
        setBiases(from, to, initial);
    }

    /** Sets the biases of outputs {@code [from, to)}. */
    void setBiases(int from, int to, double value) {
        Arrays.fill(stack.parameters.biases[stack.layers() - 1], from, to, (float) value);
    }

    int stateIndependentFrom() {
        return stateIndependentFrom;
    }

    int stateIndependentTo() {
        return stateIndependentTo;
    }

    /** Width of the last hidden layer (the policy's latent features). */
    int lastHiddenSize() {
        return stack.width(stack.layers() - 1);
    }

    byte[] toBytes() {
        writeBack();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(network, out, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    int inputSize() {
        return stack.inputSize();
    }

    /** A copy of the parameters in DL4J's flat order: per layer its [out][in] weights, then its biases. */
    float[] parameters() {
        return stack.parameters.flat();
    }

    int outputSize() {
        return stack.outputSize();
    }

    /** Inference on {@code batch} rows of {@code inputs} (row-major). */
    float[] output(float[] inputs, int batch) {
        return stack.output(inputs, batch);
    }

    /** Inference outputs and last hidden activations of {@code batch} rows: {outputs, hidden}. */
    float[][] outputWithHidden(float[] inputs, int batch) {
        return stack.outputWithHidden(inputs, batch);
    }

    /** Training-mode forward pass whose activations {@link #backward} then uses. */
    float[] forward(float[] inputs, int batch) {
        if (pass == null) {
            pass = stack.new Pass();
        }
        return pass.forward(inputs, batch).clone();
    }

    /** The last hidden layer's activations of the last {@link #forward}, row-major. */
    float[] lastHidden() {
        return pass.lastHidden();
    }

    /**
     * Back-propagates d(loss)/d(outputs) of the last {@link #forward} (already divided by the
     * batch size) and keeps the parameter gradient until {@link #step}. Returns its squared L2 norm.
     */
    double backward(double[] outputGradient, int batch) {
        pass.backward(outputGradient, gradient);
        if (stateIndependentFrom >= 0) {
            int last = stack.layers() - 1;
            int in = stack.width(last);
            Arrays.fill(gradient.weights[last], stateIndependentFrom * in, stateIndependentTo * in, 0f);
        }
        double squaredNorm = 0;
        for (int l = 0; l < stack.layers(); l++) {
            squaredNorm += squaredSum(gradient.weights[l]) + squaredSum(gradient.biases[l]);
        }
        return squaredNorm;
    }

    private static double squaredSum(float[] values) {
        double sum = 0;
        for (float value : values) {
            sum += (double) value * value;
        }
        return sum;
    }

    /** Scales the pending gradient and takes one Adam step with it. */
    void step(double gradientScale) {
        float scale = (float) gradientScale;
        float alphaT = Adam.stepSize(learningRate, adamEpsilon, adamIteration);
        int last = stack.layers() - 1;
        for (int l = 0; l < stack.layers(); l++) {
            scale(gradient.weights[l], scale);
            scale(gradient.biases[l], scale);
            if (l == last && headStarts != null) {
                stepHeads(last);
            } else {
                adamStep(stack.parameters.weights[l], gradient.weights[l], firstMoment.weights[l],
                        secondMoment.weights[l], 0, gradient.weights[l].length, alphaT, adamEpsilon);
                adamStep(stack.parameters.biases[l], gradient.biases[l], firstMoment.biases[l],
                        secondMoment.biases[l], 0, gradient.biases[l].length, alphaT, adamEpsilon);
            }
        }
        adamIteration++;
        stack.weightsChanged();
    }

    /** The last layer, head by head: output j's weights are row j of the [out][in] matrix. */
    private void stepHeads(int last) {
        int in = stack.width(last);
        for (int h = 0; h < headLearningRates.length; h++) {
            int from = headStarts[h];
            int to = h + 1 < headStarts.length ? headStarts[h + 1] : stack.outputSize();
            double epsilon = headAdamEpsilons[h];
            float alphaT = Adam.stepSize(headLearningRates[h], epsilon, adamIteration);
            adamStep(stack.parameters.weights[last], gradient.weights[last], firstMoment.weights[last],
                    secondMoment.weights[last], from * in, to * in, alphaT, epsilon);
            adamStep(stack.parameters.biases[last], gradient.biases[last], firstMoment.biases[last],
                    secondMoment.biases[last], from, to, alphaT, epsilon);
        }
    }

    private static void scale(float[] gradient, float scale) {
        if (scale != 1f) {
            for (int i = 0; i < gradient.length; i++) {
                gradient[i] *= scale;
            }
        }
    }

    private static void adamStep(float[] parameters, float[] gradient, float[] m, float[] v, int from, int to,
            float alphaT, double epsilon) {
        Adam.step(parameters, gradient, m, v, from, to, alphaT, (float) epsilon);
    }

    /** One rate for every parameter (no layered optimizer). */
    void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
        this.headStarts = null;
    }

    /**
     * The layered optimizer: the hidden layers at {@code trunkRate}/{@code trunkEpsilon}, and the
     * last layer's outputs {@code [headStarts[h], headStarts[h + 1])} at {@code headRates[h]} and
     * {@code headEpsilons[h]}.
     */
    void setLayeredRates(double trunkRate, double trunkEpsilon, int[] headStarts, double[] headRates,
            double[] headEpsilons) {
        this.learningRate = trunkRate;
        this.adamEpsilon = trunkEpsilon;
        this.headStarts = headStarts.clone();
        this.headLearningRates = headRates.clone();
        this.headAdamEpsilons = headEpsilons.clone();
    }

    /**
     * PopArt's rescaling of output {@code output}: its weights times {@code scale}, its bias times
     * {@code scale} plus {@code shift}, so that {@code scale * y + shift} is what it outputs next.
     */
    void rescaleOutput(int output, double scale, double shift) {
        int last = stack.layers() - 1;
        int in = stack.width(last);
        float[] weights = stack.parameters.weights[last];
        for (int i = output * in; i < (output + 1) * in; i++) {
            weights[i] = (float) (weights[i] * scale);
        }
        float[] biases = stack.parameters.biases[last];
        biases[output] = (float) (biases[output] * scale + shift);
        stack.weightsChanged();
    }

    /** Whether every parameter is a finite number. */
    boolean parametersFinite() {
        for (int l = 0; l < stack.layers(); l++) {
            if (!finite(stack.parameters.weights[l]) || !finite(stack.parameters.biases[l])) {
                return false;
            }
        }
        return true;
    }

    private static boolean finite(float[] values) {
        for (float value : values) {
            if (!Float.isFinite(value)) {
                return false;
            }
        }
        return true;
    }
}

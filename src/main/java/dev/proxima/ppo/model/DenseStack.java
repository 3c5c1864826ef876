package dev.proxima.ppo.model;

import dev.proxima.ppo.config.Activation;
import java.util.Arrays;

/**
 * The arithmetic of one multilayer perceptron, on Java arrays: dense layers with a hidden
 * activation and a linear last layer, exactly DL4J's DenseLayer ({@code z = x W + b}), the
 * weights of each layer in PyTorch's [out][in] layout, which is also DL4J's column-major [in][out]
 * parameter view.
 *
 * <p>Inference allocates its activations per call, so concurrent callers (the {@code /act}
 * threads) share one stack; a {@link Pass} holds a training forward pass's activations for the
 * backward pass and is reused from one minibatch to the next.
 */
final class DenseStack {

    /** Layer widths: the input, each hidden layer, the output. */
    private final int[] widths;
    private final Activation activation;
    final Parameters parameters;
    /** The weights in [in][out] layout for small forward products; null until asked for after a change. */
    private volatile float[][] inputMajorWeights;

    DenseStack(int[] widths, Activation activation) {
        this.widths = widths.clone();
        this.activation = activation;
        this.parameters = new Parameters(widths);
    }

    /**
     * Arrays shaped as a stack's parameters, per layer l {@code weights[l]} ([out][in]) and
     * {@code biases[l]}: the parameters themselves, their gradient, Adam's moments.
     */
    static final class Parameters {

        final float[][] weights;
        final float[][] biases;

        Parameters(int[] widths) {
            int layers = widths.length - 1;
            weights = new float[layers][];
            biases = new float[layers][];
            for (int l = 0; l < layers; l++) {
                weights[l] = new float[widths[l + 1] * widths[l]];
                biases[l] = new float[widths[l + 1]];
            }
        }

        int count() {
            int count = 0;
            for (int l = 0; l < weights.length; l++) {
                count += weights[l].length + biases[l].length;
            }
            return count;
        }

        /** Every value in DL4J's flat parameter order: per layer its weights, then its biases. */
        float[] flat() {
            float[] flat = new float[count()];
            int at = 0;
            for (int l = 0; l < weights.length; l++) {
                System.arraycopy(weights[l], 0, flat, at, weights[l].length);
                at += weights[l].length;
                System.arraycopy(biases[l], 0, flat, at, biases[l].length);
                at += biases[l].length;
            }
            return flat;
        }

        /** Sets every value from DL4J's flat order ({@link #flat}), starting at {@code offset}. */
        void setFlat(float[] flat, int offset) {
            int at = offset;
            for (int l = 0; l < weights.length; l++) {
                System.arraycopy(flat, at, weights[l], 0, weights[l].length);
                at += weights[l].length;
                System.arraycopy(flat, at, biases[l], 0, biases[l].length);
                at += biases[l].length;
            }
        }
    }

    Parameters newParameters() {
        return new Parameters(widths);
    }

    int layers() {
        return widths.length - 1;
    }

    int inputSize() {
        return widths[0];
    }

    int outputSize() {
        return widths[widths.length - 1];
    }

    int width(int layer) {
        return widths[layer];
    }

    /** Inference: the outputs of {@code rows} inputs (row-major), and the last hidden layer's activations. */
    float[][] outputWithHidden(float[] inputs, int rows) {
        float[] activations = inputs;
        float[] hidden = inputs;
        for (int l = 0; l < layers(); l++) {
            hidden = activations;
            float[] next = new float[rows * widths[l + 1]];
            layerForward(l, activations, next, rows);
            activations = next;
        }
        // without hidden layers the "last hidden" activations are the inputs: a copy, not the caller's array
        return new float[][] {activations, hidden == inputs ? inputs.clone() : hidden};
    }

    float[] output(float[] inputs, int rows) {
        return outputWithHidden(inputs, rows)[0];
    }

    /** Call after the weights change (not the biases): the small products' copy of them is stale. */
    void weightsChanged() {
        inputMajorWeights = null;
    }

    private float[][] inputMajorWeights() {
        float[][] transposed = inputMajorWeights;
        if (transposed == null) {
            transposed = new float[layers()][];
            for (int l = 0; l < layers(); l++) {
                int in = widths[l];
                int out = widths[l + 1];
                float[] w = parameters.weights[l];
                float[] t = new float[in * out];
                for (int j = 0; j < out; j++) {
                    for (int i = 0; i < in; i++) {
                        t[i * out + j] = w[j * in + i];
                    }
                }
                transposed[l] = t;
            }
            inputMajorWeights = transposed;
        }
        return transposed;
    }

    private void layerForward(int l, float[] in, float[] out, int rows) {
        int width = widths[l + 1];
        if (Gemm.worthNative(rows, widths[l], width)) {
            Gemm.timesTransposed(in, parameters.weights[l], out, rows, widths[l], width);
        } else {
            Gemm.times(in, inputMajorWeights()[l], out, rows, widths[l], width);
        }
        float[] b = parameters.biases[l];
        boolean hidden = l < layers() - 1;
        for (int r = 0; r < rows; r++) {
            int row = r * width;
            for (int j = 0; j < width; j++) {
                out[row + j] += b[j];
            }
        }
        if (hidden) {
            activate(out, rows * width);
        }
    }

    private void activate(float[] values, int count) {
        switch (activation) {
            case TANH -> {
                for (int i = 0; i < count; i++) {
                    values[i] = Tanh.of(values[i]);
                }
            }
            case RELU -> {
                for (int i = 0; i < count; i++) {
                    values[i] = Math.max(values[i], 0f);
                }
            }
        }
    }

    /** A training pass: the activations of every layer for one minibatch, and buffers for the backward pass. */
    final class Pass {

        private int rows = -1;
        /** activations[0] is the input, activations[layers] the output. */
        private final float[][] activations = new float[widths.length][];
        private float[] delta;
        private float[] deltaBelow;

        /** Runs the layers on {@code rows} inputs; the returned output array is reused by the next pass. */
        float[] forward(float[] inputs, int rows) {
            resize(rows);
            System.arraycopy(inputs, 0, activations[0], 0, rows * widths[0]);
            for (int l = 0; l < layers(); l++) {
                layerForward(l, activations[l], activations[l + 1], rows);
            }
            return activations[layers()];
        }

        private void resize(int rows) {
            if (rows == this.rows) {
                return;
            }
            int widest = 0;
            for (int l = 0; l < widths.length; l++) {
                activations[l] = new float[rows * widths[l]];
                widest = Math.max(widest, widths[l]);
            }
            delta = new float[rows * widest];
            deltaBelow = new float[rows * widest];
            this.rows = rows;
        }

        /** The last hidden layer's activations of the last {@link #forward}. */
        float[] lastHidden() {
            return activations[layers() - 1];
        }

        /**
         * Back-propagates d(loss)/d(outputs) of the last {@link #forward} (row-major, already a
         * batch mean) into the parameter gradients, laid out as the parameters are.
         */
        void backward(double[] outputGradient, Parameters gradient) {
            float[] current = delta;
            float[] below = deltaBelow;
            for (int i = 0; i < rows * outputSize(); i++) {
                current[i] = (float) outputGradient[i];
            }
            for (int l = layers() - 1; l >= 0; l--) {
                int in = widths[l];
                int out = widths[l + 1];
                Gemm.transposedTimes(current, activations[l], gradient.weights[l], rows, out, in);
                float[] biasGradient = gradient.biases[l];
                Arrays.fill(biasGradient, 0f);
                for (int r = 0; r < rows; r++) {
                    int row = r * out;
                    for (int j = 0; j < out; j++) {
                        biasGradient[j] += current[row + j];
                    }
                }
                if (l > 0) {
                    Gemm.times(current, parameters.weights[l], below, rows, out, in);
                    activationBackward(activations[l], below, rows * in);
                    float[] swap = current;
                    current = below;
                    below = swap;
                }
            }
        }
    }

    /** Multiplies {@code gradient} by the hidden activation's derivative, from the activations themselves. */
    private void activationBackward(float[] activated, float[] gradient, int count) {
        switch (activation) {
            case TANH -> {
                for (int i = 0; i < count; i++) {
                    float a = activated[i];
                    gradient[i] *= 1f - a * a;
                }
            }
            case RELU -> {
                for (int i = 0; i < count; i++) {
                    if (activated[i] <= 0f) {
                        gradient[i] = 0f;
                    }
                }
            }
        }
    }
}

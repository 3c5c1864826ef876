package dev.proxima.ppo.model;

import java.util.Arrays;
import java.util.function.BiFunction;

/** Inference in chunks of at most {@link #ROWS} rows, so that a whole rollout never sits in one activation array. */
final class InferenceChunks {

    static final int ROWS = 4096;

    private InferenceChunks() {
    }

    /** {@code network} applied to {@code rows} rows of {@code inputs}, {@code inputSize} wide, chunk by chunk. */
    static float[] map(float[] inputs, int rows, int inputSize, int outputSize,
            BiFunction<float[], Integer, float[]> network) {
        if (rows <= ROWS) {
            return network.apply(inputs, rows);
        }
        float[] outputs = new float[rows * outputSize];
        for (int from = 0; from < rows; from += ROWS) {
            int count = Math.min(ROWS, rows - from);
            float[] chunk = Arrays.copyOfRange(inputs, from * inputSize, (from + count) * inputSize);
            System.arraycopy(network.apply(chunk, count), 0, outputs, from * outputSize, count * outputSize);
        }
        return outputs;
    }
}

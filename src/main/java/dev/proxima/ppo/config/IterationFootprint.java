package dev.proxima.ppo.config;

import dev.proxima.env.Space;
import dev.proxima.ppo.distribution.ActionDistribution;
import dev.proxima.ppo.distribution.ActionDistributions;
import java.util.ArrayList;
import java.util.List;

/**
 * What one training iteration of a configuration holds in memory, estimated before it runs: the
 * rollout buffer with the collector's and the update's copies of it, one minibatch's training
 * passes through each network, and the networks with their gradients, Adam's moments and the
 * DL4J model behind them. Each per-field cap bounds one factor; this bounds their product, which
 * is what a request can make the heap pay.
 */
public record IterationFootprint(long rolloutBytes, long minibatchBytes, long networkBytes) {

    /** Bytes per rollout row beyond the observation and distribution sizes (action doubles, 5 doubles, flags). */
    private static final int ROW_OVERHEAD = 5 * Double.BYTES + 2;
    /** Inference runs in chunks of this many rows (InferenceChunks). */
    private static final int INFERENCE_ROWS = 4096;
    /** Per parameter: the value, its gradient, two Adam moments, the small products' transposed copy, and DL4J's model with its updater state (three more). */
    private static final int BYTES_PER_PARAMETER = 8 * Float.BYTES;

    /**
     * About the size of one checkpoint: per parameter its value and Adam's two moments as floats
     * (compressed, a little less), plus the metadata.
     */
    public long checkpointBytes() {
        return networkBytes / BYTES_PER_PARAMETER * 3 * Float.BYTES + 64 * 1024;
    }

    public long total() {
        return rolloutBytes + minibatchBytes + networkBytes;
    }

    public static IterationFootprint of(PpoConfig config, int numEnvs, int observationSize, Space actionSpace) {
        ActionDistribution distribution = ActionDistributions.forSpace(actionSpace);
        long rows = (long) numEnvs * config.rollout().nSteps();
        int paramSize = distribution.paramSize();
        long perRow = 4L * observationSize // the stored observations
                + 4L * observationSize * 2 // the critic's inputs at the end of the rollout, truncation's final observations
                + 8L * distribution.actionSize() + 4L * paramSize * 2 // actions, old and updated policy parameters
                + distribution.maskSize() + ROW_OVERHEAD + 8; // masks, the scalars, the normalised advantages
        long rollout = rows * perRow;

        List<Integer> widths = new ArrayList<>();
        widths.add(observationSize);
        widths.addAll(config.model().network().hiddenSizes());
        int outputs = paramSize + 1;
        widths.add(outputs);
        long activationsPerRow = 0;
        int widest = 0;
        for (int width : widths) {
            activationsPerRow += width;
            widest = Math.max(widest, width);
        }
        int networks = config.model().sharedNetwork() ? 1 : 2;
        int batch = config.update().batchSize();
        // per network: every layer's activations and two back-propagated deltas as wide as the widest layer;
        // the output gradients and the minibatch's own copy of its rows in doubles
        long minibatch = networks * (long) batch * (4L * activationsPerRow + 2L * 4 * widest)
                + (long) batch * (8L * outputs + perRow)
                + networks * (long) INFERENCE_ROWS * 4L * activationsPerRow;

        long parameters = 0;
        for (int l = 1; l < widths.size(); l++) {
            parameters += (long) widths.get(l - 1) * widths.get(l) + widths.get(l);
        }
        long network = networks * parameters * BYTES_PER_PARAMETER;
        return new IterationFootprint(rollout, minibatch, network);
    }

    /**
     * The request fields the largest part comes from: the rollout's (numEnvs and nSteps), the
     * minibatch's (batchSize and the hidden sizes) or the networks' (the hidden sizes).
     */
    public String dominantFields() {
        if (rolloutBytes >= minibatchBytes && rolloutBytes >= networkBytes) {
            return "nSteps";
        }
        return minibatchBytes >= networkBytes ? "batchSize" : "network.hiddenSizes";
    }

    /** A byte count as people read it. */
    public static String mebibytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.0f MiB", bytes / (1024.0 * 1024.0));
    }
}

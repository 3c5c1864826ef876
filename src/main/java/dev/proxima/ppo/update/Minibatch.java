package dev.proxima.ppo.update;

import dev.proxima.ppo.rollout.RolloutBuffer;
import java.util.Arrays;

/**
 * Rows of a rollout gathered for one gradient step, advantages already normalised if asked.
 * The advantages come from the caller: the buffer's, or the buffer's normalised over the whole
 * rollout (advantageNormalization rollout).
 */
public record Minibatch(float[] observations, double[] actions, double[] oldLogProbs, double[] advantages,
        double[] returns, double[] oldValues, float[] oldPolicyParams, boolean[] masks) {

    public int size() {
        return oldLogProbs.length;
    }

    public static Minibatch gather(RolloutBuffer buffer, double[] rolloutAdvantages, int[] indices, int from, int to,
            boolean normalizeAdvantage) {
        int size = to - from;
        int obsSize = buffer.observationSize();
        int actionSize = buffer.actionSize();
        float[] observations = new float[size * obsSize];
        double[] actions = new double[size * actionSize];
        double[] oldLogProbs = new double[size];
        double[] advantages = new double[size];
        double[] returns = new double[size];
        double[] oldValues = new double[size];
        int paramSize = buffer.paramSize();
        float[] oldPolicyParams = new float[size * paramSize];
        int maskSize = buffer.maskSize();
        boolean[] masks = maskSize == 0 ? null : new boolean[size * maskSize];
        for (int row = 0; row < size; row++) {
            int index = indices[from + row];
            System.arraycopy(buffer.observations(), index * obsSize, observations, row * obsSize, obsSize);
            System.arraycopy(buffer.actions(), index * actionSize, actions, row * actionSize, actionSize);
            oldLogProbs[row] = buffer.logProbs()[index];
            advantages[row] = rolloutAdvantages[index];
            returns[row] = buffer.returns()[index];
            oldValues[row] = buffer.values()[index];
            System.arraycopy(buffer.policyParams(), index * paramSize, oldPolicyParams, row * paramSize, paramSize);
            if (masks != null) {
                System.arraycopy(buffer.masks(), index * maskSize, masks, row * maskSize, maskSize);
            }
        }
        if (normalizeAdvantage && size > 1) {
            normalize(advantages, meanMagnitude(oldValues));
        }
        return new Minibatch(observations, actions, oldLogProbs, advantages, returns, oldValues, oldPolicyParams,
                masks);
    }

    /**
     * A spread smaller than this fraction of the values' magnitude (or the advantages' mean's)
     * is rounding noise, not signal: the float32 networks put about 6e-8 relative error into
     * every value an advantage comes from.
     */
    static final double NOISE_FLOOR = 1e-6;

    /** The mean of |values|. */
    static double meanMagnitude(double[] values) {
        double total = 0;
        for (double value : values) {
            total += Math.abs(value);
        }
        return values.length == 0 ? 0 : total / values.length;
    }

    /** {@link #normalize(double[], double)} with the advantages' own mean as the only scale. */
    public static void normalize(double[] values) {
        normalize(values, 0.0);
    }

    /**
     * (A - mean) / (std + 1e-8) with the sample standard deviation, as SB3 (torch.std). When the
     * advantages are (nearly) constant, their spread is rounding noise, and dividing by it would
     * blow the noise up to unit size (the notes' std -> 0 problem): with a std at most
     * {@link #NOISE_FLOOR} times the larger of |mean| and {@code valueScale} (the mean magnitude
     * of the values the advantages come from) the batch prefers no action over another, and
     * every normalised advantage is 0 (no policy gradient). Otherwise the result is SB3's exactly.
     */
    public static void normalize(double[] values, double valueScale) {
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(squares / (values.length - 1));
        if (std <= NOISE_FLOOR * Math.max(Math.abs(mean), valueScale)) {
            Arrays.fill(values, 0.0);
            return;
        }
        for (int i = 0; i < values.length; i++) {
            values[i] = (values[i] - mean) / (std + 1e-8);
        }
    }
}

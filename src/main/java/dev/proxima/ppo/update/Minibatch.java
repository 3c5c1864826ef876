package dev.proxima.ppo.update;

import dev.proxima.ppo.rollout.RolloutBuffer;

/** Rows of a rollout gathered for one gradient step, advantages already normalised if asked. */
public record Minibatch(float[] observations, double[] actions, double[] oldLogProbs, double[] advantages,
        double[] returns, double[] oldValues, float[] oldPolicyParams, boolean[] masks) {

    public int size() {
        return oldLogProbs.length;
    }

    public static Minibatch gather(RolloutBuffer buffer, int[] indices, int from, int to, boolean normalizeAdvantage) {
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
            advantages[row] = buffer.advantages()[index];
            returns[row] = buffer.returns()[index];
            oldValues[row] = buffer.values()[index];
            System.arraycopy(buffer.policyParams(), index * paramSize, oldPolicyParams, row * paramSize, paramSize);
            if (masks != null) {
                System.arraycopy(buffer.masks(), index * maskSize, masks, row * maskSize, maskSize);
            }
        }
        if (normalizeAdvantage && size > 1) {
            normalize(advantages);
        }
        return new Minibatch(observations, actions, oldLogProbs, advantages, returns, oldValues, oldPolicyParams,
                masks);
    }

    /** (A - mean) / (std + 1e-8) with the sample standard deviation, as SB3 (torch.std). */
    public static void normalize(double[] values) {
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
        for (int i = 0; i < values.length; i++) {
            values[i] = (values[i] - mean) / (std + 1e-8);
        }
    }
}

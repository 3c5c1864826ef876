package dev.proxima.ppo.rollout;

/**
 * One rollout of {@code numEnvs} environments x {@code nSteps} steps, stored flat with index
 * {@code step * numEnvs + env}, as SB3's RolloutBuffer. {@code episodeStarts[t]} marks that
 * the observation at step t begins a new episode (the previous step ended one).
 */
public final class RolloutBuffer {

    private final int nSteps;
    private final int numEnvs;
    private final int observationSize;
    private final int actionSize;
    private final int paramSize;
    /** The policy's distribution parameters at collection time (for the KL penalty); empty if not kept. */
    private final float[] policyParams;
    private final int maskSize;
    /** The action masks the policy acted under; empty when the environment has none. */
    private final boolean[] masks;
    private final float[] observations;
    private final double[] actions;
    private final double[] logProbs;
    private final double[] values;
    private final double[] rewards;
    private final boolean[] episodeStarts;
    private final double[] advantages;
    private final double[] returns;

    /** {@code paramSize} 0: the policy parameters are not kept; {@code maskSize} 0: no action masks. */
    public RolloutBuffer(int nSteps, int numEnvs, int observationSize, int actionSize, int paramSize, int maskSize) {
        this.nSteps = nSteps;
        this.maskSize = maskSize;
        this.masks = new boolean[nSteps * numEnvs * maskSize];
        this.paramSize = paramSize;
        this.policyParams = new float[nSteps * numEnvs * paramSize];
        this.numEnvs = numEnvs;
        this.observationSize = observationSize;
        this.actionSize = actionSize;
        int size = nSteps * numEnvs;
        observations = new float[size * observationSize];
        actions = new double[size * actionSize];
        logProbs = new double[size];
        values = new double[size];
        rewards = new double[size];
        episodeStarts = new boolean[size];
        advantages = new double[size];
        returns = new double[size];
    }

    public int nSteps() {
        return nSteps;
    }

    public int numEnvs() {
        return numEnvs;
    }

    public int observationSize() {
        return observationSize;
    }

    public int actionSize() {
        return actionSize;
    }

    public int paramSize() {
        return paramSize;
    }

    public float[] policyParams() {
        return policyParams;
    }

    public int maskSize() {
        return maskSize;
    }

    public boolean[] masks() {
        return masks;
    }

    public float[] observations() {
        return observations;
    }

    public double[] actions() {
        return actions;
    }

    public double[] logProbs() {
        return logProbs;
    }

    public double[] values() {
        return values;
    }

    public double[] rewards() {
        return rewards;
    }

    public boolean[] episodeStarts() {
        return episodeStarts;
    }

    public double[] advantages() {
        return advantages;
    }

    public double[] returns() {
        return returns;
    }

    public int size() {
        return nSteps * numEnvs;
    }

    /**
     * GAE(gamma, lambda) backwards over the buffer (Schulman et al. 2016), then
     * returns = advantages + values. {@code lastValues} are V of the observations after the last
     * step and {@code lastDones} whether that last step ended the episode. Truncated episodes
     * are expected to carry gamma * V(final observation) in their last reward already, so a done
     * flag here always means "do not bootstrap from the next observation".
     */
    public void computeReturnsAndAdvantages(double[] lastValues, boolean[] lastDones, double gamma, double gaeLambda) {
        double[] lastGaeLambda = new double[numEnvs];
        for (int step = nSteps - 1; step >= 0; step--) {
            for (int env = 0; env < numEnvs; env++) {
                int index = step * numEnvs + env;
                double nextNonTerminal;
                double nextValue;
                if (step == nSteps - 1) {
                    nextNonTerminal = lastDones[env] ? 0.0 : 1.0;
                    nextValue = lastValues[env];
                } else {
                    nextNonTerminal = episodeStarts[index + numEnvs] ? 0.0 : 1.0;
                    nextValue = values[index + numEnvs];
                }
                double delta = rewards[index] + gamma * nextValue * nextNonTerminal - values[index];
                lastGaeLambda[env] = delta + gamma * gaeLambda * nextNonTerminal * lastGaeLambda[env];
                advantages[index] = lastGaeLambda[env];
                returns[index] = advantages[index] + values[index];
            }
        }
    }
}

package dev.proxima.vecenv;

import dev.proxima.env.EnvironmentSpec;
import dev.proxima.vecenv.VecStep;
import java.util.Arrays;

/**
 * SB3's VecNormalize around a vectorised environment: observations normalised by running
 * statistics, rewards scaled by the running standard deviation of the discounted return, both
 * clipped. Statistics update while training. Episode returns and lengths stay the raw ones.
 */
public final class VecNormalize implements VecEnv {

    private final VecEnv env;
    private final boolean normalizeObservations;
    private final boolean normalizeReward;
    private final double clipObservation;
    private final double clipReward;
    private final double gamma;
    private final double epsilon;
    private RunningMeanStd observationStats;
    private RunningMeanStd returnStats = new RunningMeanStd(1);
    private final double[] returns;

    public VecNormalize(VecEnv env, boolean normalizeObservations, boolean normalizeReward, double clipObservation,
            double clipReward, double gamma) {
        this.env = env;
        this.normalizeObservations = normalizeObservations;
        this.normalizeReward = normalizeReward;
        this.clipObservation = clipObservation;
        this.clipReward = clipReward;
        this.gamma = gamma;
        this.epsilon = 1e-8;
        this.observationStats = new RunningMeanStd(env.spec().observationSpace().flatSize());
        this.returns = new double[env.size()];
    }

    @Override
    public int size() {
        return env.size();
    }

    @Override
    public EnvironmentSpec spec() {
        return env.spec();
    }

    @Override
    public double[][] reset(long seed) {
        double[][] observations = env.reset(seed);
        Arrays.fill(returns, 0);
        updateObservationStats(observations);
        return normalizeAll(observations);
    }

    @Override
    public boolean[][] actionMasks() {
        return env.actionMasks();
    }

    @Override
    public VecStep step(double[][] actions) {
        VecStep raw = env.step(actions);
        updateObservationStats(raw.observations());
        double[] rewards = raw.rewards().clone();
        if (normalizeReward) {
            for (int i = 0; i < returns.length; i++) {
                returns[i] = returns[i] * gamma + rewards[i];
            }
            returnStats.update(returns, returns.length);
            double scale = Math.sqrt(returnStats.varAt(0) + epsilon);
            for (int i = 0; i < rewards.length; i++) {
                rewards[i] = Math.max(-clipReward, Math.min(clipReward, rewards[i] / scale));
                if (raw.done(i)) {
                    returns[i] = 0;
                }
            }
        }
        double[][] finals = raw.finalObservations().clone();
        for (int i = 0; i < finals.length; i++) {
            if (finals[i] != null) {
                finals[i] = normalize(finals[i]);
            }
        }
        return new VecStep(normalizeAll(raw.observations()), rewards, raw.terminated(), raw.truncated(), finals,
                raw.finishedEpisodes());
    }

    /** The observation transform as it stands, for checkpoints; null when observations are not normalised. */
    public ObservationNormalizer observationNormalizer() {
        return normalizeObservations ? new ObservationNormalizer(observationStats.mean(), observationStats.var(),
                observationStats.count(), clipObservation, epsilon) : null;
    }

    /** The running statistics of the discounted return, by which rewards are scaled. */
    public RunningMeanStd returnStats() {
        return returnStats;
    }

    /** Continues from a checkpoint's statistics (null: keep the current ones). */
    public void restore(ObservationNormalizer observations, RunningMeanStd returns) {
        if (observations != null) {
            observationStats = new RunningMeanStd(observations.mean(), observations.var(), observations.count());
        }
        if (returns != null) {
            returnStats = new RunningMeanStd(returns.mean(), returns.var(), returns.count());
        }
    }

    private void updateObservationStats(double[][] observations) {
        if (!normalizeObservations) {
            return;
        }
        int size = observations[0].length;
        double[] flat = new double[observations.length * size];
        for (int r = 0; r < observations.length; r++) {
            System.arraycopy(observations[r], 0, flat, r * size, size);
        }
        observationStats.update(flat, observations.length);
    }

    private double[][] normalizeAll(double[][] observations) {
        double[][] result = new double[observations.length][];
        for (int i = 0; i < observations.length; i++) {
            result[i] = normalize(observations[i]);
        }
        return result;
    }

    private double[] normalize(double[] observation) {
        if (!normalizeObservations) {
            return observation;
        }
        double[] target = new double[observation.length];
        for (int i = 0; i < observation.length; i++) {
            target[i] = ObservationNormalizer.normalize(observation[i], observationStats.meanAt(i),
                    observationStats.varAt(i), clipObservation, epsilon);
        }
        return target;
    }
}

package dev.proxima.ppo.model;

import dev.proxima.vecenv.RunningMeanStd;

/**
 * PopArt (van Hasselt et al. 2016, "Learning values across many orders of magnitude"): the
 * critic's output is a normalised value, V(s) = mean + std * output, with the mean and std of
 * the value targets (the returns). When {@link #update} changes the statistics it rescales the
 * value head's last layer so that every unnormalised output stays what it was. The statistics
 * are over every return seen so far, count-weighted (SB3's RunningMeanStd), not PopArt's
 * exponentially decaying average: as returns grow they lag, and normalised targets sit a few
 * units from 0 rather than at unit scale, which the learning tests show is enough.
 */
public final class ValueNormalizer {

    private static final double EPSILON = 1e-8;

    private final RunningMeanStd returns;

    /** Fresh statistics: mean 0, variance 1 (an untrained critic's outputs are values as they are). */
    public ValueNormalizer() {
        this(new RunningMeanStd(1));
    }

    ValueNormalizer(RunningMeanStd returns) {
        this.returns = returns;
    }

    /** Restores saved statistics ({@link #mean}, {@link #variance}, {@link #count}). */
    public static ValueNormalizer restore(double mean, double variance, double count) {
        return new ValueNormalizer(new RunningMeanStd(new double[] {mean}, new double[] {variance}, count));
    }

    public double mean() {
        return returns.mean()[0];
    }

    public double variance() {
        return returns.var()[0];
    }

    public double count() {
        return returns.count();
    }

    public double std() {
        return Math.sqrt(variance() + EPSILON);
    }

    public double normalize(double value) {
        return (value - mean()) / std();
    }

    public double denormalize(double output) {
        return mean() + std() * output;
    }

    /**
     * Merges a rollout's value targets into the statistics and rescales the value head by
     * std_old / std_new, shifted by (mean_old - mean_new) / std_new: PopArt's preserving step.
     */
    void update(double[] targets, ActorCriticNetworks networks) {
        double oldMean = mean();
        double oldStd = std();
        returns.update(targets, targets.length);
        double newStd = std();
        networks.rescaleValueHead(oldStd / newStd, (oldMean - mean()) / newStd);
    }
}

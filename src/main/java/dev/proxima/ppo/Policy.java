package dev.proxima.ppo;

import dev.proxima.env.Space;
import dev.proxima.ppo.archive.PolicyArchive;
import dev.proxima.ppo.archive.TrainingState;
import dev.proxima.ppo.distribution.ActionDistribution;
import dev.proxima.ppo.model.ActorCritic;
import dev.proxima.vecenv.ObservationNormalizer;
import java.util.random.RandomGenerator;

/**
 * A trained policy as /act serves it: the networks plus the observation normalisation that
 * training applied, so clients send raw observations. Not thread-safe; callers lock it.
 */
public final class Policy {

    private final ActorCritic model;
    private final ObservationNormalizer normalizer;
    /** The trainer's state when this policy is a snapshot of a training run; null when served. */
    private final TrainingState trainingState;

    /** A policy to serve; {@code normalizer} is null when training did not normalise observations. */
    public Policy(ActorCritic model, ObservationNormalizer normalizer) {
        this(model, normalizer, null);
    }

    Policy(ActorCritic model, ObservationNormalizer normalizer, TrainingState trainingState) {
        this.model = model;
        this.normalizer = normalizer;
        this.trainingState = trainingState;
    }

    /** The whole archive, Adam state included, so that training can go on from it. */
    public static Policy fromArchive(byte[] archive) {
        return read(archive, true);
    }

    /** For inference only: the networks without their Adam state (a third of the memory). */
    public static Policy forServing(byte[] archive) {
        return read(archive, false);
    }

    private static Policy read(byte[] archive, boolean withOptimizerState) {
        PolicyArchive.Contents contents = PolicyArchive.read(archive, withOptimizerState);
        return new Policy(contents.model(), contents.normalizer());
    }

    /**
     * The networks with their Adam state, the action space and the normaliser, as one zip; for a
     * snapshot of a training run also what {@link PpoTrainer#resume} needs to continue it.
     */
    public byte[] toArchive() {
        return PolicyArchive.write(model, normalizer, trainingState);
    }

    /** The observation normaliser's statistics, or null when training did not normalise observations. */
    public ObservationNormalizer normalizer() {
        return normalizer;
    }

    public int observationSize() {
        return model.observationSize();
    }

    public Space actionSpace() {
        return model.actionSpace();
    }

    public int actionSize() {
        return model.distribution().actionSize();
    }

    public ActorCritic model() {
        return model;
    }

    /** Mask flags per observation: 0 when this policy's actions cannot be masked (only discrete spaces can). */
    public int maskSize() {
        return model.distribution().maskSize();
    }

    /**
     * Actions for raw observations: row-major, {@link #actionSize()} per row, clipped to a Box
     * space, restricted to each row's legal actions when {@code masks} is given.
     */
    public double[] act(double[][] observations, boolean[][] masks, boolean deterministic, RandomGenerator random) {
        return model.act(input(observations), observations.length, masks, deterministic, random);
    }

    /** As {@link #act}, with the log-probabilities, distribution parameters and value estimates. */
    public ActorCritic.Acted actWithDetails(double[][] observations, boolean[][] masks, boolean deterministic,
            RandomGenerator random) {
        return model.actWithDetails(input(observations), observations.length, masks, deterministic, random, true);
    }

    public ActionDistribution distribution() {
        return model.distribution();
    }

    /** Raw observations, normalised as in training, as the networks' float input. */
    private float[] input(double[][] observations) {
        int size = model.observationSize();
        float[] input = new float[observations.length * size];
        double[] normalized = new double[size];
        for (int r = 0; r < observations.length; r++) {
            double[] row = observations[r];
            if (normalizer != null) {
                normalizer.normalize(row, normalized);
                row = normalized;
            }
            for (int c = 0; c < size; c++) {
                input[r * size + c] = (float) row[c];
            }
        }
        return input;
    }
}

package dev.proxima.ppo.rollout;

import dev.proxima.ppo.TrainingDivergedException;
import dev.proxima.ppo.TrainingStoppedException;
import dev.proxima.ppo.distribution.ActionDistribution;
import dev.proxima.ppo.model.ActorCritic;
import dev.proxima.vecenv.VecEnv;
import dev.proxima.vecenv.VecStep;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * Fills a {@link RolloutBuffer} by running the current policy in the vectorised environment
 * (SB3's collect_rollouts). One batched actor call per step; the critic's values, which do not
 * change during a rollout, come from one batched call at the end over every stored observation,
 * the observations after the last step and the final observations of time-limit truncations.
 */
public final class RolloutCollector {

    private final VecEnv env;
    private final int observationSize;
    private final EpisodeStats episodes = new EpisodeStats();
    private double[][] lastObservations;
    private final boolean[] lastEpisodeStarts;
    /** gSDE: new exploration noise every this many steps; -1: once per rollout. */
    private final int sdeSampleFreq;
    /** Checked before every vector step: true abandons the rollout (TrainingStoppedException). */
    private BooleanSupplier stop = () -> false;

    /** Resets the environments with {@code seed} (environment i with seed + i). */
    public RolloutCollector(VecEnv env, long seed, int sdeSampleFreq) {
        this.env = env;
        this.sdeSampleFreq = sdeSampleFreq;
        this.observationSize = env.spec().observationSpace().flatSize();
        this.lastObservations = env.reset(seed);
        this.lastEpisodeStarts = new boolean[env.size()];
        Arrays.fill(lastEpisodeStarts, true);
    }

    /** From now on, {@code stop} is checked before every vector step; true abandons the rollout. */
    public void stopWhen(BooleanSupplier stop) {
        this.stop = stop;
    }

    /** Whether the environments supply action masks. */
    public boolean masked() {
        return env.actionMasks() != null;
    }

    public EpisodeStats episodes() {
        return episodes;
    }

    /**
     * One rollout into {@code buffer} for training iteration {@code iteration}, actions (and
     * gSDE's noise) drawn from {@code random}. A non-finite action fails the iteration as diverged.
     */
    public void collect(ActorCritic model, RolloutBuffer buffer, double gamma, double gaeLambda, RandomGenerator random,
            int iteration) {
        ActionDistribution distribution = model.distribution();
        int numEnvs = env.size();
        int paramSize = distribution.paramSize();
        int actionSize = distribution.actionSize();
        float[] stepObservations = new float[numEnvs * observationSize];
        double[][] envActions = new double[numEnvs][actionSize];
        // (buffer index, final observation) of episodes cut by the time limit
        int[] truncatedAt = new int[buffer.size()];
        float[] truncatedObservations = new float[buffer.size() * observationSize];
        int truncatedCount = 0;

        for (int step = 0; step < buffer.nSteps(); step++) {
            TrainingStoppedException.throwIf(stop, iteration);
            copyRows(lastObservations, stepObservations, 0);
            System.arraycopy(stepObservations, 0, buffer.observations(), step * numEnvs * observationSize,
                    stepObservations.length);
            boolean[][] masks = buffer.maskSize() > 0 ? env.actionMasks() : null;
            if (step == 0 || (sdeSampleFreq > 0 && step % sdeSampleFreq == 0)) {
                model.resetNoise(numEnvs, random);
            }
            ActorCritic.Acted acted = model.explore(stepObservations, numEnvs, masks, random);
            if (masks != null) {
                for (int e = 0; e < numEnvs; e++) {
                    System.arraycopy(masks[e], 0, buffer.masks(), (step * numEnvs + e) * buffer.maskSize(), buffer.maskSize());
                }
            }
            if (buffer.paramSize() == paramSize) {
                System.arraycopy(acted.params(), 0, buffer.policyParams(), step * numEnvs * paramSize,
                        acted.params().length);
            }
            for (double action : acted.actions()) {
                if (!Double.isFinite(action)) {
                    throw new TrainingDivergedException(iteration, "action (policy output)", action);
                }
            }
            System.arraycopy(acted.actions(), 0, buffer.actions(), step * numEnvs * actionSize, numEnvs * actionSize);
            System.arraycopy(acted.logProbs(), 0, buffer.logProbs(), step * numEnvs, numEnvs);
            for (int e = 0; e < numEnvs; e++) {
                System.arraycopy(acted.actions(), e * actionSize, envActions[e], 0, actionSize);
                // stored unclipped (the log-prob is of the sampled action); clipped for the env only
                model.clipToSpace(envActions[e], 0);
            }

            VecStep result = env.step(envActions);
            for (int e = 0; e < numEnvs; e++) {
                int index = step * numEnvs + e;
                buffer.rewards()[index] = result.rewards()[e];
                buffer.episodeStarts()[index] = lastEpisodeStarts[e];
                if (result.truncated()[e] && !result.terminated()[e]) {
                    truncatedAt[truncatedCount] = index;
                    copyRow(result.finalObservations()[e], truncatedObservations, truncatedCount * observationSize);
                    truncatedCount++;
                }
                lastEpisodeStarts[e] = result.done(e);
            }
            result.finishedEpisodes().forEach(episodes::add);
            lastObservations = result.observations();
        }

        int stored = buffer.size();
        float[] criticInputs = new float[(stored + numEnvs + truncatedCount) * observationSize];
        System.arraycopy(buffer.observations(), 0, criticInputs, 0, stored * observationSize);
        copyRows(lastObservations, criticInputs, stored * observationSize);
        System.arraycopy(truncatedObservations, 0, criticInputs, (stored + numEnvs) * observationSize,
                truncatedCount * observationSize);
        float[] values = model.values(criticInputs, stored + numEnvs + truncatedCount);

        for (int i = 0; i < stored; i++) {
            buffer.values()[i] = values[i];
        }
        double[] lastValues = new double[numEnvs];
        for (int e = 0; e < numEnvs; e++) {
            lastValues[e] = values[stored + e];
        }
        for (int k = 0; k < truncatedCount; k++) {
            // A time limit is not a terminal state: bootstrap with V(final observation).
            buffer.rewards()[truncatedAt[k]] += gamma * values[stored + numEnvs + k];
        }
        buffer.computeReturnsAndAdvantages(lastValues, lastEpisodeStarts, gamma, gaeLambda);
    }

    private void copyRows(double[][] rows, float[] target, int offset) {
        for (int r = 0; r < rows.length; r++) {
            copyRow(rows[r], target, offset + r * observationSize);
        }
    }

    private static void copyRow(double[] row, float[] target, int offset) {
        for (int c = 0; c < row.length; c++) {
            target[offset + c] = (float) row[c];
        }
    }
}

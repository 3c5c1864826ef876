package dev.proxima.vecenv;

import dev.proxima.env.Environment;
import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.env.EnvironmentSpec;
import dev.proxima.env.RewardScale;
import dev.proxima.env.StepResult;
import java.util.ArrayList;
import java.util.List;

/**
 * N copies of one environment stepped one after the other on the caller's thread (SB3's
 * DummyVecEnv; "Sync" as Gymnasium's SyncVectorEnv, since nothing about it is a dummy), with
 * SB3's auto-reset: when an episode ends, the returned observation is already the first one of
 * the next episode and the last observation of the finished one is kept in
 * {@link VecStep#finalObservations()}. Also records finished episodes' returns and lengths, as
 * SB3's Monitor wrapper does. {@link VecEnv} is the interface it shares with wrappers such as
 * {@link VecNormalize}.
 */
public final class SyncVecEnv implements VecEnv {

    private final List<Environment> envs;
    private final double[] episodeReturns;
    private final int[] episodeLengths;

    public SyncVecEnv(List<Environment> envs) {
        if (envs.isEmpty()) {
            throw new IllegalArgumentException("at least one environment is needed");
        }
        this.envs = List.copyOf(envs);
        this.episodeReturns = new double[envs.size()];
        this.episodeLengths = new int[envs.size()];
    }

    public static SyncVecEnv of(EnvironmentRegistry registry, String id, int numEnvs) {
        return of(registry, id, numEnvs, 1.0);
    }

    /** {@code numEnvs} copies of a built-in environment, their rewards times {@code rewardScale}. */
    public static SyncVecEnv of(EnvironmentRegistry registry, String id, int numEnvs, double rewardScale) {
        List<Environment> envs = new ArrayList<>(numEnvs);
        for (int i = 0; i < numEnvs; i++) {
            Environment env = registry.create(id);
            envs.add(rewardScale == 1.0 ? env : new RewardScale(env, rewardScale));
        }
        return new SyncVecEnv(envs);
    }

    @Override
    public int size() {
        return envs.size();
    }

    @Override
    public EnvironmentSpec spec() {
        return envs.get(0).spec();
    }

    /** Resets every environment, environment i with seed {@code seed + i} (as SB3 seeds). */
    @Override
    public double[][] reset(long seed) {
        double[][] observations = new double[envs.size()][];
        for (int i = 0; i < envs.size(); i++) {
            observations[i] = envs.get(i).reset(seed + i);
            episodeReturns[i] = 0;
            episodeLengths[i] = 0;
        }
        return observations;
    }

    @Override
    public boolean[][] actionMasks() {
        boolean[][] masks = new boolean[envs.size()][];
        for (int i = 0; i < masks.length; i++) {
            masks[i] = envs.get(i).actionMask();
            if (masks[i] == null) {
                return null;
            }
        }
        return masks;
    }

    @Override
    public VecStep step(double[][] actions) {
        int n = envs.size();
        double[][] observations = new double[n][];
        double[] rewards = new double[n];
        boolean[] terminated = new boolean[n];
        boolean[] truncated = new boolean[n];
        double[][] finalObservations = new double[n][];
        List<Episode> finished = new ArrayList<>(0);
        for (int i = 0; i < n; i++) {
            Environment env = envs.get(i);
            StepResult result = env.step(actions[i]);
            rewards[i] = result.reward();
            terminated[i] = result.terminated();
            truncated[i] = result.truncated();
            episodeReturns[i] += result.reward();
            episodeLengths[i]++;
            if (result.done()) {
                finished.add(new Episode(episodeReturns[i], episodeLengths[i]));
                episodeReturns[i] = 0;
                episodeLengths[i] = 0;
                finalObservations[i] = result.observation();
                observations[i] = env.reset();
            } else {
                observations[i] = result.observation();
            }
        }
        return new VecStep(observations, rewards, terminated, truncated, finalObservations, finished);
    }
}

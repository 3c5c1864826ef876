package dev.proxima.vecenv;

import dev.proxima.env.EnvironmentSpec;

/**
 * N environments stepped together with auto-reset, named as SB3's VecEnv: {@link SyncVecEnv} steps
 * the environments themselves, wrappers such as {@link VecNormalize} transform what another returns.
 */
public interface VecEnv {

    int size();

    EnvironmentSpec spec();

    /** Resets every environment, environment i with seed {@code seed + i}. */
    double[][] reset(long seed);

    VecStep step(double[][] actions);

    /** Each environment's action mask for its current observation, or null when it has none. */
    boolean[][] actionMasks();
}

package dev.proxima.env;

/** N environments stepped together with auto-reset (SB3's VecEnv); wrappers may transform what they return. */
public interface VecEnv {

    int size();

    EnvironmentSpec spec();

    /** Resets every environment, environment i with seed {@code seed + i}. */
    double[][] reset(long seed);

    VectorEnv.VectorStep step(double[][] actions);

    /** Each environment's action mask for its current observation, or null when it has none. */
    boolean[][] actionMasks();
}

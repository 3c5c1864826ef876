package dev.proxima.env;

/**
 * One environment instance, with Gymnasium's reset/step semantics. Not thread-safe.
 * Actions are passed as a flat vector: a Discrete action is {@code {a}}, a MultiDiscrete action
 * {@code {a_1, .., a_k}}.
 */
public interface Environment {

    EnvironmentSpec spec();

    /** Re-seeds the environment's random generator and starts an episode. */
    double[] reset(long seed);

    /** Starts an episode, continuing the random generator of the last seeded reset. */
    double[] reset();

    StepResult step(double[] action);

    /** The internal state vector, as Gymnasium's {@code env.unwrapped.state}. */
    double[] state();

    /** Starts an episode from an explicit internal state; returns its observation. */
    double[] resetToState(double[] state);

    /**
     * Which actions are legal in the current state (sb3-contrib's action_masks()), or null when
     * every action always is. For Discrete(n), n flags; for MultiDiscrete(nvec), each dimension's
     * nvec[i] flags one after the other (sb3-contrib's MultiDiscrete masks).
     */
    default boolean[] actionMask() {
        return null;
    }
}

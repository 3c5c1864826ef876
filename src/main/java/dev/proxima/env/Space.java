package dev.proxima.env;

/** An observation or action space, as Gymnasium describes them. */
public sealed interface Space permits BoxSpace, DiscreteSpace, MultiDiscreteSpace, HybridSpace {

    /**
     * Number of values a flat vector of this space holds: one for Discrete, one per dimension for
     * MultiDiscrete.
     */
    int flatSize();
}

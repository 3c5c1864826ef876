package dev.proxima.env;

/** An observation or action space, as Gymnasium describes them. */
public sealed interface Space permits BoxSpace, DiscreteSpace {

    /** Number of values a flat vector of this space holds (n for Discrete counts as one value). */
    int flatSize();
}

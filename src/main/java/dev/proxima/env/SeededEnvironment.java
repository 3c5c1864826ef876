package dev.proxima.env;

import java.util.SplittableRandom;

/**
 * Gymnasium's seeding for an environment: {@code reset(seed)} re-seeds its generator, a plain
 * {@code reset()} continues it (seeding from entropy the first time).
 */
abstract class SeededEnvironment implements Environment {

    private SplittableRandom random;

    @Override
    public final double[] reset(long seed) {
        random = new SplittableRandom(seed);
        return resetWith(random);
    }

    @Override
    public final double[] reset() {
        if (random == null) {
            random = new SplittableRandom();
        }
        return resetWith(random);
    }

    /** Draws the initial state from {@code random} and returns the first observation. */
    protected abstract double[] resetWith(SplittableRandom random);
}

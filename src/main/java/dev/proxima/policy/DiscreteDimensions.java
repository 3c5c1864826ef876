package dev.proxima.policy;

import dev.proxima.env.DiscreteSpace;
import dev.proxima.env.MultiDiscreteSpace;
import dev.proxima.env.Space;

/**
 * The number of choices in each dimension of a discrete action space: {@code {n}} for Discrete,
 * {@code nvec} for MultiDiscrete. Masks and action probabilities come in these groups, one after
 * the other.
 */
final class DiscreteDimensions {

    private DiscreteDimensions() {
    }

    /** The dimensions' sizes, or null for a space that is not discrete (Box). */
    static int[] of(Space space) {
        if (space instanceof DiscreteSpace discrete) {
            return new int[] {discrete.n()};
        }
        if (space instanceof MultiDiscreteSpace multiDiscrete) {
            return multiDiscrete.nvec();
        }
        return null;
    }
}

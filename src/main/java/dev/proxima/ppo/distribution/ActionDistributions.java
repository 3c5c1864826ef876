package dev.proxima.ppo.distribution;

import dev.proxima.env.BoxSpace;
import dev.proxima.env.DiscreteSpace;
import dev.proxima.env.HybridSpace;
import dev.proxima.env.MultiDiscreteSpace;
import dev.proxima.env.Space;

/** The distribution family a policy uses for an action space, as SB3's make_proba_distribution. */
public final class ActionDistributions {

    private ActionDistributions() {
    }

    public static ActionDistribution forSpace(Space actionSpace) {
        if (actionSpace instanceof DiscreteSpace discrete) {
            return new Categorical(discrete.n());
        }
        if (actionSpace instanceof MultiDiscreteSpace multiDiscrete) {
            return new MultiCategorical(multiDiscrete.nvec());
        }
        if (actionSpace instanceof BoxSpace box) {
            return new DiagGaussian(box.flatSize());
        }
        if (actionSpace instanceof HybridSpace hybrid) {
            return new HybridDistribution(hybrid);
        }
        throw new IllegalArgumentException("unsupported action space " + actionSpace);
    }
}

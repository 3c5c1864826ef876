package dev.proxima.policy;

import dev.proxima.InvalidFieldException;
import dev.proxima.env.DiscreteSpace;
import dev.proxima.env.MultiDiscreteSpace;
import dev.proxima.env.Space;
import dev.proxima.ppo.Policy;

/** The action masks of an /act request, checked against the policy that is to honour them. */
final class ActionMasks {

    private ActionMasks() {
    }

    /**
     * The request's masks, one per observation, or null when it has none. Each must have the
     * policy's mask size and allow at least one choice in every dimension of the action space.
     */
    static boolean[][] of(ActRequest request, boolean single, int rows, Policy policy) {
        boolean[][] masks = single
                ? (request.actionMask() == null ? null : new boolean[][] {request.actionMask()})
                : request.actionMasks();
        if (masks == null) {
            if (single ? request.actionMasks() != null : request.actionMask() != null) {
                throw new InvalidFieldException(single ? "actionMasks" : "actionMask",
                        single ? "goes with observations; use actionMask" : "goes with observation; use actionMasks");
            }
            return null;
        }
        String name = single ? "actionMask" : "actionMasks";
        if (policy.maskSize() == 0) {
            throw new InvalidFieldException(name, "only discrete action spaces take action masks");
        }
        if (masks.length != rows) {
            throw new InvalidFieldException(name, "must hold one mask per observation (" + rows + "), had " + masks.length);
        }
        int[] dimensions = dimensions(policy.actionSpace());
        for (int r = 0; r < rows; r++) {
            String field = single ? name : name + "[" + r + "]";
            if (masks[r] == null || masks[r].length != policy.maskSize()) {
                throw new InvalidFieldException(field, "must have " + policy.maskSize() + " flags");
            }
            checkEveryDimensionAllowsAChoice(field, masks[r], dimensions);
        }
        return masks;
    }

    /** The number of choices per action dimension, the groups a mask comes in: {n} or nvec. */
    private static int[] dimensions(Space space) {
        return space instanceof MultiDiscreteSpace multiDiscrete ? multiDiscrete.nvec()
                : new int[] {((DiscreteSpace) space).n()};
    }

    private static void checkEveryDimensionAllowsAChoice(String field, boolean[] mask, int[] dimensions) {
        int from = 0;
        for (int d = 0; d < dimensions.length; d++) {
            boolean anyLegal = false;
            for (int j = from; j < from + dimensions[d]; j++) {
                anyLegal |= mask[j];
            }
            if (!anyLegal) {
                throw new InvalidFieldException(field, dimensions.length == 1
                        ? "allows no action: at least one flag must be true"
                        : "allows no choice in dimension " + d + " (flags " + from + ".." + (from + dimensions[d] - 1)
                                + "): every dimension needs at least one true flag");
            }
            from += dimensions[d];
        }
    }
}

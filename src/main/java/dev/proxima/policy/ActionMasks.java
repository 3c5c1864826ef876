package dev.proxima.policy;

import dev.proxima.InvalidFieldException;
import dev.proxima.env.Actions;
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
        int[] groups = Actions.maskGroups(policy.actionSpace());
        for (int r = 0; r < rows; r++) {
            String field = single ? name : name + "[" + r + "]";
            if (masks[r] == null || masks[r].length != policy.maskSize()) {
                throw new InvalidFieldException(field, "must have " + policy.maskSize() + " flags");
            }
            int empty = Actions.firstDimensionAllowingNothing(masks[r], groups);
            if (empty >= 0) {
                throw new InvalidFieldException(field, Actions.allowsNothing(groups, empty));
            }
        }
        return masks;
    }
}

package dev.proxima.env;

import java.util.Arrays;

/** How actions and action masks look on the wire, per action space. */
public final class Actions {

    private Actions() {
    }

    /** A hybrid action on the wire: the type and every parameter. */
    public record HybridAction(int type, double[] parameters) {
    }

    /**
     * An action as JSON: an integer for Discrete, integers for MultiDiscrete, numbers for Box, a
     * {@link HybridAction} for a hybrid space.
     */
    public static Object encode(Space space, double[] actions, int offset) {
        int size = space.flatSize();
        if (space instanceof HybridSpace) {
            return new HybridAction((int) actions[offset], Arrays.copyOfRange(actions, offset + 1, offset + size));
        }
        if (space instanceof DiscreteSpace) {
            return (int) actions[offset];
        }
        if (space instanceof MultiDiscreteSpace) {
            int[] choices = new int[size];
            for (int i = 0; i < size; i++) {
                choices[i] = (int) actions[offset + i];
            }
            return choices;
        }
        return Arrays.copyOfRange(actions, offset, offset + size);
    }

    /**
     * The groups a mask comes in, one per action dimension: {n} for Discrete and for a hybrid
     * space's types, nvec for MultiDiscrete; null for Box.
     */
    public static int[] maskGroups(Space space) {
        if (space instanceof HybridSpace hybrid) {
            return new int[] {hybrid.n()};
        }
        if (space instanceof MultiDiscreteSpace multiDiscrete) {
            return multiDiscrete.nvec();
        }
        if (space instanceof DiscreteSpace discrete) {
            return new int[] {discrete.n()};
        }
        return null;
    }

    /** The first action dimension whose flags are all false, or -1 when every dimension allows a choice. */
    public static int firstDimensionAllowingNothing(boolean[] mask, int[] groups) {
        int from = 0;
        for (int d = 0; d < groups.length; d++) {
            boolean anyLegal = false;
            for (int j = from; j < from + groups[d]; j++) {
                anyLegal |= mask[j];
            }
            if (!anyLegal) {
                return d;
            }
            from += groups[d];
        }
        return -1;
    }

    /** The message for a mask that allows nothing in dimension {@code d}. */
    public static String allowsNothing(int[] groups, int d) {
        if (groups.length == 1) {
            return "allows no action: at least one flag must be true";
        }
        int from = Arrays.stream(groups, 0, d).sum();
        return "allows no choice in dimension " + d + " (flags " + from + ".." + (from + groups[d] - 1)
                + "): every dimension needs at least one true flag";
    }
}

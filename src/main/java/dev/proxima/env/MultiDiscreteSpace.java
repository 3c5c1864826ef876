package dev.proxima.env;

import java.util.Arrays;

/**
 * Gymnasium's {@code MultiDiscrete(nvec)}: one integer per dimension, dimension {@code i} in
 * {@code 0..nvec[i]-1}. An action is the flat vector of those integers.
 */
public record MultiDiscreteSpace(int[] nvec) implements Space {

    public MultiDiscreteSpace {
        if (nvec == null || nvec.length == 0) {
            throw new IllegalArgumentException("nvec must have at least one dimension");
        }
        for (int n : nvec) {
            if (n < 1) {
                throw new IllegalArgumentException("every entry of nvec must be >= 1, was " + Arrays.toString(nvec));
            }
        }
        nvec = nvec.clone();
    }

    @Override
    public int[] nvec() {
        return nvec.clone();
    }

    /** How many choices dimension {@code dimension} has. */
    public int n(int dimension) {
        return nvec[dimension];
    }

    @Override
    public int flatSize() {
        return nvec.length;
    }

    /** Whether {@code value} is a valid choice for {@code dimension}: an integer in 0..nvec[dimension]-1. */
    public boolean allows(int dimension, double value) {
        return value == Math.rint(value) && value >= 0 && value < nvec[dimension];
    }

    /** The action as integers; an IllegalArgumentException says what is wrong when it is outside the space. */
    public int[] choices(double[] action) {
        if (action == null || action.length != nvec.length) {
            throw new IllegalArgumentException("action must have " + nvec.length + " values, got "
                    + (action == null ? "null" : Arrays.toString(action)));
        }
        int[] choices = new int[nvec.length];
        for (int i = 0; i < nvec.length; i++) {
            if (!allows(i, action[i])) {
                throw new IllegalArgumentException("action[" + i + "] must be an integer in 0.." + (nvec[i] - 1)
                        + ", was " + action[i]);
            }
            choices[i] = (int) action[i];
        }
        return choices;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MultiDiscreteSpace space && Arrays.equals(nvec, space.nvec);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(nvec);
    }

    @Override
    public String toString() {
        return "MultiDiscrete(" + Arrays.toString(nvec) + ")";
    }
}

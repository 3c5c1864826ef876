package dev.proxima.env;

import java.util.Arrays;

/**
 * A parameterized action space (gym-hybrid's {@code Tuple(Discrete(n), Box(..))}): a discrete
 * action type and continuous parameters, of which type k uses those {@code parameterMask[k]}
 * marks. An action is the flat vector {@code {type, p_1, .., p_m}}; every parameter is carried,
 * the environment reads only the chosen type's.
 */
public record HybridSpace(int n, BoxSpace parameters, boolean[][] parameterMask) implements Space {

    public HybridSpace {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, was " + n);
        }
        if (parameters == null || parameters.flatSize() < 1) {
            throw new IllegalArgumentException("parameters must have at least one dimension");
        }
        if (parameterMask == null || parameterMask.length != n) {
            throw new IllegalArgumentException("parameterMask must have " + n + " rows, one per action type");
        }
        boolean[][] copy = new boolean[n][];
        for (int k = 0; k < n; k++) {
            if (parameterMask[k] == null || parameterMask[k].length != parameters.flatSize()) {
                throw new IllegalArgumentException("parameterMask[" + k + "] must have " + parameters.flatSize()
                        + " flags, one per parameter");
            }
            copy[k] = parameterMask[k].clone();
        }
        parameterMask = copy;
    }

    @Override
    public boolean[][] parameterMask() {
        boolean[][] copy = new boolean[n][];
        for (int k = 0; k < n; k++) {
            copy[k] = parameterMask[k].clone();
        }
        return copy;
    }

    /** Number of continuous parameters. */
    public int parameterCount() {
        return parameters.flatSize();
    }

    /** Whether action type {@code type} uses parameter {@code parameter}. */
    public boolean uses(int type, int parameter) {
        return parameterMask[type][parameter];
    }

    /** Whether {@code value} is a valid action type: an integer in 0..n-1. */
    public boolean allowsType(double value) {
        return value == Math.rint(value) && value >= 0 && value < n;
    }

    /** Clips the parameters of the action at {@code offset} (its type is at {@code offset}) into their bounds. */
    public void clip(double[] action, int offset) {
        parameters.clip(action, offset + 1);
    }

    @Override
    public int flatSize() {
        return 1 + parameters.flatSize();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HybridSpace space && n == space.n && parameters.equals(space.parameters)
                && Arrays.deepEquals(parameterMask, space.parameterMask);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * n + parameters.hashCode()) + Arrays.deepHashCode(parameterMask);
    }

    @Override
    public String toString() {
        return "Hybrid(" + n + ", " + parameters + ", " + Arrays.deepToString(parameterMask) + ")";
    }
}

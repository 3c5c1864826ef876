package dev.proxima.env;

import java.util.Arrays;

/** Argument checks shared by the classic-control environments. */
final class ClassicControl {

    private ClassicControl() {
    }

    /** The action of a {@code Discrete(n)} space, given as {@code {a}} with a an integer in 0..n-1. */
    static int discreteAction(String env, double[] action, int n) {
        if (action == null || action.length != 1) {
            throw new IllegalArgumentException(env + " action must be a single value (0.." + (n - 1) + "), got "
                    + (action == null ? "null" : Arrays.toString(action)));
        }
        double value = action[0];
        if (value != Math.rint(value) || value < 0 || value > n - 1) {
            throw new IllegalArgumentException(env + " action must be an integer in 0.." + (n - 1) + ", got " + value);
        }
        return (int) value;
    }

    /**
     * The action of a one-dimensional float32 {@code Box}, rounded to float32 as the space's dtype
     * holds it (values out of the bounds are allowed: the environments clip them as Gymnasium does).
     */
    static float continuousAction(String env, double[] action) {
        if (action == null || action.length != 1) {
            throw new IllegalArgumentException(env + " action must be a single value, got "
                    + (action == null ? "null" : Arrays.toString(action)));
        }
        float value = (float) action[0];
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException(env + " action must be a finite float32 value, got " + action[0]);
        }
        return value;
    }

    /** A copy of a state given to {@code resetToState}, checked to have n finite values. */
    static double[] checkedState(String env, double[] state, int n) {
        if (state == null || state.length != n) {
            throw new IllegalArgumentException(env + " state must have " + n + " values, got "
                    + (state == null ? "null" : state.length));
        }
        for (double value : state) {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException(env + " state must be finite, got " + Arrays.toString(state));
            }
        }
        return state.clone();
    }

    static double[] toFloat32(double... values) {
        double[] rounded = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            rounded[i] = (float) values[i];
        }
        return rounded;
    }

    static double[] negated(double[] values) {
        return Arrays.stream(values).map(v -> -v).toArray();
    }
}

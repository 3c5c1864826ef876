package dev.proxima.env;

import java.util.Arrays;

/**
 * Gymnasium's {@code Box(low, high, shape, float32)}. Bounds may be infinite; Gymnasium's
 * float32 bounds are kept as the float values widened to double.
 */
public record BoxSpace(int[] shape, double[] low, double[] high) implements Space {

    public BoxSpace {
        int size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (low.length != size || high.length != size) {
            throw new IllegalArgumentException("low/high must have " + size + " entries");
        }
        shape = shape.clone();
        low = low.clone();
        high = high.clone();
    }

    public static BoxSpace of(double[] low, double[] high) {
        return new BoxSpace(new int[] {low.length}, low, high);
    }

    /** Clips {@code values[offset .. offset + flatSize())} into the bounds, in place (np.clip). */
    public void clip(double[] values, int offset) {
        for (int i = 0; i < low.length; i++) {
            values[offset + i] = Math.max(low[i], Math.min(high[i], values[offset + i]));
        }
    }

    @Override
    public int flatSize() {
        return low.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BoxSpace box
                && Arrays.equals(shape, box.shape)
                && Arrays.equals(low, box.low)
                && Arrays.equals(high, box.high);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(shape) + Arrays.hashCode(low)) + Arrays.hashCode(high);
    }

    @Override
    public String toString() {
        return "Box(" + Arrays.toString(low) + ", " + Arrays.toString(high) + ")";
    }
}

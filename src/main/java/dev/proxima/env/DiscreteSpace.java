package dev.proxima.env;

/** Gymnasium's {@code Discrete(n)}: the integers 0..n-1. */
public record DiscreteSpace(int n) implements Space {

    public DiscreteSpace {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1");
        }
    }

    @Override
    public int flatSize() {
        return 1;
    }
}

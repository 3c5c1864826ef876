package dev.proxima.ppo.config;

/**
 * A value that changes over training, as a function of SB3's "progress remaining" (1 at the
 * start, 0 at the end of {@code totalTimesteps}).
 */
@FunctionalInterface
public interface Schedule {

    String CONSTANT = "constant";
    String LINEAR = "linear";

    double valueAt(double progressRemaining);

    static Schedule constant(double value) {
        return progress -> value;
    }

    /** rl-zoo's {@code lin_X}: decays linearly from {@code initial} to 0. */
    static Schedule linear(double initial) {
        return linear(initial, 0.0);
    }

    static Schedule linear(double initial, double end) {
        return progress -> end + (initial - end) * Math.max(0.0, Math.min(1.0, progress));
    }

    static Schedule of(String type, double initial) {
        return switch (type) {
            case CONSTANT -> constant(initial);
            case LINEAR -> linear(initial);
            default -> throw new IllegalArgumentException("unknown schedule " + type);
        };
    }
}

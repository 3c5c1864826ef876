package dev.proxima.ppo.config;

/**
 * A value that changes over training, as a function of SB3's "progress remaining" (1 at the
 * start, 0 at the end of {@code totalTimesteps}).
 */
@FunctionalInterface
public interface Schedule {

    /** How a scheduled hyperparameter changes: not at all, or linearly to 0. */
    enum Kind implements JsonNamed {
        CONSTANT,
        LINEAR
    }

    Kind CONSTANT = Kind.CONSTANT;
    Kind LINEAR = Kind.LINEAR;

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

    static Schedule of(Kind kind, double initial) {
        return switch (kind) {
            case CONSTANT -> constant(initial);
            case LINEAR -> linear(initial);
        };
    }
}

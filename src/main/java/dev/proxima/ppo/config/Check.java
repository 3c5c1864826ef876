package dev.proxima.ppo.config;

/** Range checks that name the offending field. */
final class Check {

    private Check() {
    }

    static double positive(String field, double value) {
        finite(field, value);
        if (value <= 0) {
            throw new InvalidConfigException(field, "must be > 0, was " + value);
        }
        return value;
    }

    static double nonNegative(String field, double value) {
        finite(field, value);
        if (value < 0) {
            throw new InvalidConfigException(field, "must be >= 0, was " + value);
        }
        return value;
    }

    static double inRange(String field, double value, double min, boolean minInclusive, double max) {
        finite(field, value);
        boolean aboveMin = minInclusive ? value >= min : value > min;
        if (!aboveMin || value > max) {
            throw new InvalidConfigException(field,
                    "must be in " + (minInclusive ? "[" : "(") + min + ", " + max + "], was " + value);
        }
        return value;
    }

    static int intInRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidConfigException(field, "must be in [" + min + ", " + max + "], was " + value);
        }
        return value;
    }

    private static void finite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new InvalidConfigException(field, "must be a finite number, was " + value);
        }
    }
}

package dev.proxima.ppo;

/**
 * Thrown inside an iteration when its stop check says so ({@link PpoTrainer#learn(long,
 * TrainingListener, java.util.function.BooleanSupplier)}): the iteration in progress is
 * abandoned, between two environment steps or two minibatches.
 */
public final class TrainingStoppedException extends RuntimeException {

    public TrainingStoppedException(int iteration) {
        super("iteration " + iteration + " stopped before its end", null, false, false);
    }

    /** Throws when {@code stop} says so. */
    public static void throwIf(java.util.function.BooleanSupplier stop, int iteration) {
        if (stop.getAsBoolean()) {
            throw new TrainingStoppedException(iteration);
        }
    }
}

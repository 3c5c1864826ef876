package dev.proxima.policy;

import dev.proxima.InvalidFieldException;

/** Which of a job's checkpoints /act serves: {@code latest}, {@code best} or the one at an iteration. */
record CheckpointSelector(Kind kind, int iteration) {

    enum Kind { LATEST, BEST, ITERATION }

    static final CheckpointSelector LATEST = new CheckpointSelector(Kind.LATEST, 0);
    static final CheckpointSelector BEST = new CheckpointSelector(Kind.BEST, 0);

    static CheckpointSelector ofIteration(int iteration) {
        return new CheckpointSelector(Kind.ITERATION, iteration);
    }

    /** Parses the {@code checkpoint} query parameter; anything else is a 422 naming it. */
    static CheckpointSelector parse(String value) {
        if (value == null || value.equals("latest")) {
            return LATEST;
        }
        if (value.equals("best")) {
            return BEST;
        }
        int iteration;
        try {
            iteration = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidFieldException("checkpoint", "must be latest, best or an iteration number, was '"
                    + value + "'");
        }
        if (iteration < 1) {
            throw new InvalidFieldException("checkpoint", "an iteration must be >= 1, was " + iteration);
        }
        return new CheckpointSelector(Kind.ITERATION, iteration);
    }

    @Override
    public String toString() {
        return kind == Kind.ITERATION ? Integer.toString(iteration) : kind.name().toLowerCase();
    }
}

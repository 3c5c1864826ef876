package dev.proxima.ppo;

/**
 * PPO's hyperparameters: the single source of their defaults (Stable-Baselines3's) and of their
 * validation, for the REST API and the core alike. A null component takes its default, so the
 * record read from a partial JSON object is already the effective configuration.
 */
public record PpoConfig(
        Double learningRate,
        String learningRateSchedule,
        Integer nSteps,
        Integer batchSize,
        Integer nEpochs,
        Double gamma,
        Double gaeLambda,
        Double clipRange,
        String clipRangeSchedule,
        Double entCoef,
        Double vfCoef,
        Double maxGradNorm,
        Boolean normalizeAdvantage,
        Double targetKl,
        NetworkConfig network) {

    public PpoConfig {
        learningRate = Check.positive("learningRate", orDefault(learningRate, 3e-4));
        learningRateSchedule = Check.oneOf("learningRateSchedule",
                orDefault(learningRateSchedule, Schedule.CONSTANT), Schedule.CONSTANT, Schedule.LINEAR);
        nSteps = Check.intInRange("nSteps", orDefault(nSteps, 2048), 1, 1 << 16);
        batchSize = Check.intInRange("batchSize", orDefault(batchSize, 64), 1, 1 << 16);
        nEpochs = Check.intInRange("nEpochs", orDefault(nEpochs, 10), 1, 1000);
        gamma = Check.inRange("gamma", orDefault(gamma, 0.99), 0, false, 1);
        gaeLambda = Check.inRange("gaeLambda", orDefault(gaeLambda, 0.95), 0, true, 1);
        clipRange = Check.inRange("clipRange", orDefault(clipRange, 0.2), 0, false, 1);
        clipRangeSchedule = Check.oneOf("clipRangeSchedule",
                orDefault(clipRangeSchedule, Schedule.CONSTANT), Schedule.CONSTANT, Schedule.LINEAR);
        entCoef = Check.nonNegative("entCoef", orDefault(entCoef, 0.0));
        vfCoef = Check.nonNegative("vfCoef", orDefault(vfCoef, 0.5));
        maxGradNorm = Check.positive("maxGradNorm", orDefault(maxGradNorm, 0.5));
        normalizeAdvantage = orDefault(normalizeAdvantage, true);
        if (targetKl != null) {
            Check.positive("targetKl", targetKl);
        }
        network = network == null ? NetworkConfig.defaults() : network;
        if (normalizeAdvantage && batchSize == 1) {
            throw new InvalidConfigException("batchSize",
                    "must be > 1 when normalizeAdvantage is true (a one-sample batch has no spread)");
        }
    }

    /** Stable-Baselines3's PPO defaults. */
    public static PpoConfig defaults() {
        return new PpoConfig(null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    }

    /** Checks what depends on the number of parallel environments. */
    public void validateFor(int numEnvs) {
        long rolloutSize = (long) numEnvs * nSteps;
        if (batchSize > rolloutSize) {
            throw new InvalidConfigException("batchSize", "must be <= numEnvs * nSteps = " + rolloutSize
                    + ", was " + batchSize);
        }
        if (rolloutSize > 1 << 20) {
            throw new InvalidConfigException("nSteps", "numEnvs * nSteps must be <= " + (1 << 20)
                    + ", was " + rolloutSize);
        }
    }

    public Schedule learningRateOverTraining() {
        return Schedule.of(learningRateSchedule, learningRate);
    }

    public Schedule clipRangeOverTraining() {
        return Schedule.of(clipRangeSchedule, clipRange);
    }

    private static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }
}

package dev.proxima.ppo.config;

import dev.proxima.env.BoxSpace;
import dev.proxima.env.Space;

/**
 * PPO's hyperparameters: the single source of their defaults (Stable-Baselines3's) and of their
 * validation, for the REST API and the core alike. A null component takes its default, so the
 * record read from a partial JSON object is already the effective configuration.
 */
public record PpoConfig(
        Double learningRate,
        String learningRateSchedule,
        Double actorLearningRate,
        Double criticLearningRate,
        Double actorAdamEpsilon,
        Double criticAdamEpsilon,
        Integer nSteps,
        Integer batchSize,
        Integer nEpochs,
        Double gamma,
        Double gaeLambda,
        Double clipRange,
        String clipRangeSchedule,
        String objective,
        Double klTarget,
        Double klCoefInit,
        Double entCoef,
        String entCoefSchedule,
        Double entCoefEnd,
        Double vfCoef,
        Double maxGradNorm,
        Boolean normalizeAdvantage,
        Double targetKl,
        Double clipRangeVf,
        Integer criticExtraEpochs,
        Double logStdInit,
        String logStd,
        Double logStdEnd,
        Boolean useSde,
        Integer sdeSampleFreq,
        Boolean orthoInit,
        Boolean sharedNetwork,
        Boolean normalizeObservations,
        Boolean normalizeReward,
        NetworkConfig network) {

    public PpoConfig {
        learningRate = Check.positive("learningRate", orDefault(learningRate, 3e-4));
        learningRateSchedule = Check.oneOf("learningRateSchedule",
                orDefault(learningRateSchedule, Schedule.CONSTANT), Schedule.CONSTANT, Schedule.LINEAR);
        actorLearningRate = Check.positive("actorLearningRate", orDefault(actorLearningRate, learningRate));
        criticLearningRate = Check.positive("criticLearningRate", orDefault(criticLearningRate, learningRate));
        actorAdamEpsilon = Check.positive("actorAdamEpsilon", orDefault(actorAdamEpsilon, 1e-5));
        criticAdamEpsilon = Check.positive("criticAdamEpsilon", orDefault(criticAdamEpsilon, 1e-5));
        nSteps = Check.intInRange("nSteps", orDefault(nSteps, 2048), 1, 1 << 16);
        batchSize = Check.intInRange("batchSize", orDefault(batchSize, 64), 1, 1 << 16);
        nEpochs = Check.intInRange("nEpochs", orDefault(nEpochs, 10), 1, 1000);
        gamma = Check.inRange("gamma", orDefault(gamma, 0.99), 0, false, 1);
        gaeLambda = Check.inRange("gaeLambda", orDefault(gaeLambda, 0.95), 0, true, 1);
        clipRange = Check.inRange("clipRange", orDefault(clipRange, 0.2), 0, false, 1);
        clipRangeSchedule = Check.oneOf("clipRangeSchedule",
                orDefault(clipRangeSchedule, Schedule.CONSTANT), Schedule.CONSTANT, Schedule.LINEAR);
        objective = Check.oneOf("objective", orDefault(objective, CLIP), CLIP, KL_PENALTY);
        klTarget = Check.positive("klTarget", orDefault(klTarget, 0.01));
        klCoefInit = Check.positive("klCoefInit", orDefault(klCoefInit, 1.0));
        entCoef = Check.nonNegative("entCoef", orDefault(entCoef, 0.0));
        entCoefSchedule = Check.oneOf("entCoefSchedule",
                orDefault(entCoefSchedule, Schedule.CONSTANT), Schedule.CONSTANT, Schedule.LINEAR);
        entCoefEnd = Check.nonNegative("entCoefEnd", orDefault(entCoefEnd, 0.0));
        vfCoef = Check.nonNegative("vfCoef", orDefault(vfCoef, 0.5));
        maxGradNorm = Check.positive("maxGradNorm", orDefault(maxGradNorm, 0.5));
        normalizeAdvantage = orDefault(normalizeAdvantage, true);
        if (targetKl != null) {
            Check.positive("targetKl", targetKl);
        }
        if (clipRangeVf != null) {
            Check.positive("clipRangeVf", clipRangeVf);
        }
        criticExtraEpochs = Check.intInRange("criticExtraEpochs", orDefault(criticExtraEpochs, 0), 0, 100);
        logStdInit = Check.inRange("logStdInit", orDefault(logStdInit, 0.0), -20, true, 2);
        logStd = Check.oneOf("logStd", orDefault(logStd, LOG_STD_STATE_INDEPENDENT), LOG_STD_STATE_INDEPENDENT,
                LOG_STD_FIXED, LOG_STD_STATE_DEPENDENT);
        if (logStdEnd != null) {
            Check.inRange("logStdEnd", logStdEnd, -20, true, 2);
            if (!LOG_STD_FIXED.equals(logStd)) {
                throw new InvalidConfigException("logStdEnd", "applies only with logStd '" + LOG_STD_FIXED
                        + "' (a fixed log-std decayed linearly from logStdInit to logStdEnd)");
            }
        }
        useSde = orDefault(useSde, false);
        if (useSde && !LOG_STD_STATE_INDEPENDENT.equals(logStd)) {
            throw new InvalidConfigException("useSde", "gSDE brings its own state-dependent log-std; "
                    + "leave logStd at '" + LOG_STD_STATE_INDEPENDENT + "'");
        }
        sdeSampleFreq = Check.intInRange("sdeSampleFreq", orDefault(sdeSampleFreq, -1), -1, 1 << 20);
        if (sdeSampleFreq == 0) {
            throw new InvalidConfigException("sdeSampleFreq",
                    "must be -1 (new noise once per rollout) or >= 1 (new noise every sdeSampleFreq steps), was 0");
        }
        orthoInit = orDefault(orthoInit, true);
        sharedNetwork = orDefault(sharedNetwork, false);
        if (sharedNetwork && !(actorLearningRate.equals(criticLearningRate)
                && actorAdamEpsilon.equals(criticAdamEpsilon))) {
            throw new InvalidConfigException("sharedNetwork", "a shared network has one optimizer: "
                    + "actorLearningRate/criticLearningRate and actorAdamEpsilon/criticAdamEpsilon must agree");
        }
        normalizeObservations = orDefault(normalizeObservations, false);
        normalizeReward = orDefault(normalizeReward, false);
        network = network == null ? NetworkConfig.defaults() : network;
        if (normalizeAdvantage && batchSize == 1) {
            throw new InvalidConfigException("batchSize",
                    "must be > 1 when normalizeAdvantage is true (a one-sample batch has no spread)");
        }
    }

    static final long MAX_GRADIENT_STEPS_PER_ITERATION = 50_000;

    /** A learned log-std vector that does not depend on the observation (SB3's default). */
    public static final String LOG_STD_STATE_INDEPENDENT = "stateIndependent";
    /** A log-std given by logStdInit, optionally decayed linearly to logStdEnd; not learned. */
    public static final String LOG_STD_FIXED = "fixed";
    /** A log-std output by the policy network next to the mean. */
    public static final String LOG_STD_STATE_DEPENDENT = "stateDependent";

    /** The clipped surrogate objective (PPO-Clip). */
    public static final String CLIP = "clip";
    /** The paper's adaptive KL penalty objective (PPO-KL). */
    public static final String KL_PENALTY = "klPenalty";

    /** Stable-Baselines3's PPO defaults. */
    public static PpoConfig defaults() {
        return builder().build();
    }

    /** Checks what depends on the environment: the number of parallel copies and the action space. */
    public void validateFor(int numEnvs, Space actionSpace) {
        if (!(actionSpace instanceof BoxSpace)) {
            if (useSde) {
                throw new InvalidConfigException("useSde", "gSDE applies only to continuous (Box) action spaces");
            }
            if (!LOG_STD_STATE_INDEPENDENT.equals(logStd)) {
                throw new InvalidConfigException("logStd", "applies only to continuous (Box) action spaces");
            }
        }
        validateFor(numEnvs);
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
        long stepsPerIteration = (long) (nEpochs + criticExtraEpochs) * ((rolloutSize + batchSize - 1) / batchSize);
        if (stepsPerIteration > MAX_GRADIENT_STEPS_PER_ITERATION) {
            // cancellation and shutdown are honoured between iterations, so one must stay bounded
            throw new InvalidConfigException("nEpochs", "(nEpochs + criticExtraEpochs) * ceil(numEnvs * nSteps / "
                    + "batchSize) must be <= " + MAX_GRADIENT_STEPS_PER_ITERATION + ", was " + stepsPerIteration);
        }
    }

    public Schedule learningRateOverTraining() {
        return Schedule.of(learningRateSchedule, learningRate);
    }

    /** entCoef, or a linear decay from entCoef to entCoefEnd. */
    public Schedule entCoefOverTraining() {
        return Schedule.LINEAR.equals(entCoefSchedule) ? Schedule.linear(entCoef, entCoefEnd) : Schedule.constant(entCoef);
    }

    /** logStd fixed: logStdInit, or a linear decay from logStdInit to logStdEnd. */
    public Schedule fixedLogStdOverTraining() {
        return logStdEnd == null ? Schedule.constant(logStdInit) : Schedule.linear(logStdInit, logStdEnd);
    }

    public Schedule clipRangeOverTraining() {
        return Schedule.of(clipRangeSchedule, clipRange);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** For code that sets a few hyperparameters and leaves the rest at their defaults. */
    public static final class Builder {
        private Double learningRate;
        private String learningRateSchedule;
        private Double actorLearningRate;
        private Double criticLearningRate;
        private Double actorAdamEpsilon;
        private Double criticAdamEpsilon;
        private Integer nSteps;
        private Integer batchSize;
        private Integer nEpochs;
        private Double gamma;
        private Double gaeLambda;
        private Double clipRange;
        private String clipRangeSchedule;
        private String objective;
        private Double klTarget;
        private Double klCoefInit;
        private Double entCoef;
        private String entCoefSchedule;
        private Double entCoefEnd;
        private Double vfCoef;
        private Double maxGradNorm;
        private Boolean normalizeAdvantage;
        private Double targetKl;
        private Double clipRangeVf;
        private Integer criticExtraEpochs;
        private Double logStdInit;
        private String logStd;
        private Double logStdEnd;
        private Boolean useSde;
        private Integer sdeSampleFreq;
        private Boolean orthoInit;
        private Boolean sharedNetwork;
        private Boolean normalizeObservations;
        private Boolean normalizeReward;
        private NetworkConfig network;

        public Builder learningRate(Double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder learningRateSchedule(String learningRateSchedule) {
            this.learningRateSchedule = learningRateSchedule;
            return this;
        }

        public Builder nSteps(Integer nSteps) {
            this.nSteps = nSteps;
            return this;
        }

        public Builder batchSize(Integer batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder nEpochs(Integer nEpochs) {
            this.nEpochs = nEpochs;
            return this;
        }

        public Builder gamma(Double gamma) {
            this.gamma = gamma;
            return this;
        }

        public Builder gaeLambda(Double gaeLambda) {
            this.gaeLambda = gaeLambda;
            return this;
        }

        public Builder clipRange(Double clipRange) {
            this.clipRange = clipRange;
            return this;
        }

        public Builder clipRangeSchedule(String clipRangeSchedule) {
            this.clipRangeSchedule = clipRangeSchedule;
            return this;
        }

        public Builder entCoef(Double entCoef) {
            this.entCoef = entCoef;
            return this;
        }

        public Builder vfCoef(Double vfCoef) {
            this.vfCoef = vfCoef;
            return this;
        }

        public Builder maxGradNorm(Double maxGradNorm) {
            this.maxGradNorm = maxGradNorm;
            return this;
        }

        public Builder normalizeAdvantage(Boolean normalizeAdvantage) {
            this.normalizeAdvantage = normalizeAdvantage;
            return this;
        }

        public Builder targetKl(Double targetKl) {
            this.targetKl = targetKl;
            return this;
        }

        public Builder entCoefSchedule(String entCoefSchedule) {
            this.entCoefSchedule = entCoefSchedule;
            return this;
        }

        public Builder entCoefEnd(Double entCoefEnd) {
            this.entCoefEnd = entCoefEnd;
            return this;
        }

        public Builder clipRangeVf(Double clipRangeVf) {
            this.clipRangeVf = clipRangeVf;
            return this;
        }

        public Builder criticExtraEpochs(Integer criticExtraEpochs) {
            this.criticExtraEpochs = criticExtraEpochs;
            return this;
        }

        public Builder objective(String objective) {
            this.objective = objective;
            return this;
        }

        public Builder klTarget(Double klTarget) {
            this.klTarget = klTarget;
            return this;
        }

        public Builder klCoefInit(Double klCoefInit) {
            this.klCoefInit = klCoefInit;
            return this;
        }

        public Builder actorLearningRate(Double actorLearningRate) {
            this.actorLearningRate = actorLearningRate;
            return this;
        }

        public Builder criticLearningRate(Double criticLearningRate) {
            this.criticLearningRate = criticLearningRate;
            return this;
        }

        public Builder actorAdamEpsilon(Double actorAdamEpsilon) {
            this.actorAdamEpsilon = actorAdamEpsilon;
            return this;
        }

        public Builder criticAdamEpsilon(Double criticAdamEpsilon) {
            this.criticAdamEpsilon = criticAdamEpsilon;
            return this;
        }

        public Builder logStdInit(Double logStdInit) {
            this.logStdInit = logStdInit;
            return this;
        }

        public Builder logStd(String logStd) {
            this.logStd = logStd;
            return this;
        }

        public Builder logStdEnd(Double logStdEnd) {
            this.logStdEnd = logStdEnd;
            return this;
        }

        public Builder useSde(Boolean useSde) {
            this.useSde = useSde;
            return this;
        }

        public Builder sdeSampleFreq(Integer sdeSampleFreq) {
            this.sdeSampleFreq = sdeSampleFreq;
            return this;
        }

        public Builder orthoInit(Boolean orthoInit) {
            this.orthoInit = orthoInit;
            return this;
        }

        public Builder sharedNetwork(Boolean sharedNetwork) {
            this.sharedNetwork = sharedNetwork;
            return this;
        }

        public Builder normalizeObservations(Boolean normalizeObservations) {
            this.normalizeObservations = normalizeObservations;
            return this;
        }

        public Builder normalizeReward(Boolean normalizeReward) {
            this.normalizeReward = normalizeReward;
            return this;
        }

        public Builder network(NetworkConfig network) {
            this.network = network;
            return this;
        }

        public PpoConfig build() {
            return new PpoConfig(learningRate, learningRateSchedule, actorLearningRate, criticLearningRate,
                    actorAdamEpsilon, criticAdamEpsilon, nSteps, batchSize, nEpochs, gamma, gaeLambda,
                    clipRange, clipRangeSchedule, objective, klTarget, klCoefInit, entCoef, entCoefSchedule, entCoefEnd, vfCoef, maxGradNorm,
                    normalizeAdvantage, targetKl, clipRangeVf, criticExtraEpochs, logStdInit, logStd, logStdEnd, useSde, sdeSampleFreq, orthoInit,
                    sharedNetwork, normalizeObservations,
                    normalizeReward, network);
        }
    }

    private static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }
}

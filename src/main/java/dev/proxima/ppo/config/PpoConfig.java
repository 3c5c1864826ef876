package dev.proxima.ppo.config;

import dev.proxima.env.BoxSpace;
import dev.proxima.env.HybridSpace;
import dev.proxima.env.Space;
import java.util.HashMap;
import java.util.Map;

/**
 * PPO's hyperparameters, grouped as the algorithm uses them. {@link Builder#build} is the single
 * source of their defaults (Stable-Baselines3's) and of their validation; the REST API's flat
 * {@code hyperparameters} object maps onto the builder's setters, whose names it shares.
 */
public record PpoConfig(Rollout rollout, Update update, Loss loss, Optimizer optimizer, Model model,
        Normalization normalization) {

    /** SB3's collect_rollouts and GAE. */
    public record Rollout(int nSteps, double gamma, double gaeLambda) {
    }

    /** The epochs of minibatch steps over one rollout; {@code targetKl} (null: none) stops them early. */
    public record Update(int batchSize, int nEpochs, AdvantageNormalization advantageNormalization, Double targetKl,
            int criticExtraEpochs) {

        /** Whether the advantages are normalised at all (SB3's normalize_advantage). */
        public boolean normalizeAdvantage() {
            return advantageNormalization != AdvantageNormalization.OFF;
        }
    }

    /** The loss terms; {@code clipRangeVf} null: the value loss is not clipped. */
    public record Loss(Objective objective, double clipRange, Schedule.Kind clipRangeSchedule, Double clipRangeVf,
            double klTarget, double klCoefInit, double entCoef, Schedule.Kind entCoefSchedule, double entCoefEnd,
            double vfCoef) {
    }

    /**
     * Adam and global gradient-norm clipping; the actor's and critic's rates default to the shared
     * one. {@code layers} (null without a shared network) are the shared network's three parameter
     * groups, each with its own rate and epsilon; the schedule scales every rate alike.
     */
    public record Optimizer(double learningRate, Schedule.Kind learningRateSchedule, double actorLearningRate,
            double criticLearningRate, double actorAdamEpsilon, double criticAdamEpsilon, double maxGradNorm,
            Layers layers) {

        /** The actor network's own Adam settings: the actor's, or a shared network's trunk's. */
        public double actorNetworkLearningRate() {
            return layers == null ? actorLearningRate : layers.trunkLearningRate();
        }

        public double actorNetworkAdamEpsilon() {
            return layers == null ? actorAdamEpsilon : layers.trunkAdamEpsilon();
        }

        /** The policy's parameters outside the networks (gSDE's): the actor's, or the shared policy head's. */
        public double policyLearningRate() {
            return layers == null ? actorLearningRate : layers.policyHeadLearningRate();
        }

        public double policyAdamEpsilon() {
            return layers == null ? actorAdamEpsilon : layers.policyHeadAdamEpsilon();
        }
    }

    /** The notes' layered optimizer: the trunk, the policy head and the value head of a shared network. */
    public record Layers(double trunkLearningRate, double policyHeadLearningRate, double valueHeadLearningRate,
            double trunkAdamEpsilon, double policyHeadAdamEpsilon, double valueHeadAdamEpsilon) {

        /** Whether the three groups differ in rate or epsilon (else one Adam, as before). */
        public boolean differ() {
            return trunkLearningRate != policyHeadLearningRate || trunkLearningRate != valueHeadLearningRate
                    || trunkAdamEpsilon != policyHeadAdamEpsilon || trunkAdamEpsilon != valueHeadAdamEpsilon;
        }
    }

    /** The networks and a Gaussian policy's log-std; {@code logStdEnd} null: a fixed log-std is not decayed. */
    public record Model(NetworkConfig network, boolean orthoInit, boolean sharedNetwork, LogStd logStd,
            double logStdInit, Double logStdEnd, boolean useSde, int sdeSampleFreq) {
    }

    /**
     * SB3's VecNormalize switches, and {@code value}: the critic learns normalised value targets
     * with PopArt (the notes' use_value_norm).
     */
    public record Normalization(boolean observations, boolean reward, boolean value) {
    }

    static final long MAX_GRADIENT_STEPS_PER_ITERATION = 50_000;
    /** Adam's rates above 1 only diverge (SB3's defaults are 3e-4; rl-zoo's largest about 1e-2). */
    static final double MAX_LEARNING_RATE = 1.0;
    /** The loss weights entCoef, entCoefEnd and vfCoef (rl-zoo's largest are about 1). */
    static final double MAX_COEFFICIENT = 100.0;

    /** Stable-Baselines3's PPO defaults. */
    public static PpoConfig defaults() {
        return builder().build();
    }

    /** Checks what depends on the environment: the number of parallel copies and the action space. */
    public void validateFor(int numEnvs, Space actionSpace) {
        if (!(actionSpace instanceof BoxSpace) && model.useSde()) {
            throw new InvalidConfigException("useSde", "gSDE applies only to continuous (Box) action spaces");
        }
        if (!(actionSpace instanceof BoxSpace || actionSpace instanceof HybridSpace)
                && model.logStd() != LogStd.STATE_INDEPENDENT) {
            throw new InvalidConfigException("logStd",
                    "applies only to action spaces with a Gaussian part (Box, and hybrid spaces' parameters)");
        }
        validateFor(numEnvs);
    }

    /** Checks what depends on the number of parallel environments. */
    public void validateFor(int numEnvs) {
        long rolloutSize = (long) numEnvs * rollout.nSteps();
        int batchSize = update.batchSize();
        if (batchSize > rolloutSize) {
            throw new InvalidConfigException("batchSize", "must be <= numEnvs * nSteps = " + rolloutSize
                    + ", was " + batchSize);
        }
        if (rolloutSize > 1 << 20) {
            throw new InvalidConfigException("nSteps", "numEnvs * nSteps must be <= " + (1 << 20)
                    + ", was " + rolloutSize);
        }
        long stepsPerIteration = (long) (update.nEpochs() + update.criticExtraEpochs())
                * ((rolloutSize + batchSize - 1) / batchSize);
        if (stepsPerIteration > MAX_GRADIENT_STEPS_PER_ITERATION) {
            // cancellation and shutdown are honoured between iterations, so one must stay bounded
            throw new InvalidConfigException("nEpochs", "(nEpochs + criticExtraEpochs) * ceil(numEnvs * nSteps / "
                    + "batchSize) must be <= " + MAX_GRADIENT_STEPS_PER_ITERATION + ", was " + stepsPerIteration);
        }
    }

    public Schedule learningRateOverTraining() {
        return Schedule.of(optimizer.learningRateSchedule(), optimizer.learningRate());
    }

    /** entCoef, or a linear decay from entCoef to entCoefEnd. */
    public Schedule entCoefOverTraining() {
        return loss.entCoefSchedule() == Schedule.LINEAR ? Schedule.linear(loss.entCoef(), loss.entCoefEnd())
                : Schedule.constant(loss.entCoef());
    }

    /** logStd fixed: logStdInit, or a linear decay from logStdInit to logStdEnd. */
    public Schedule fixedLogStdOverTraining() {
        return model.logStdEnd() == null ? Schedule.constant(model.logStdInit())
                : Schedule.linear(model.logStdInit(), model.logStdEnd());
    }

    public Schedule clipRangeOverTraining() {
        return Schedule.of(loss.clipRangeSchedule(), loss.clipRange());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Flat, as the REST API names them; a value left null takes its default. The options are
     * enums, or JSON names given to {@link #named} (how the API's strings arrive).
     */
    public static final class Builder {
        private Double learningRate;
        private Schedule.Kind learningRateSchedule;
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
        private Schedule.Kind clipRangeSchedule;
        private Objective objective;
        private Double klTarget;
        private Double klCoefInit;
        private Double entCoef;
        private Schedule.Kind entCoefSchedule;
        private Double entCoefEnd;
        private Double vfCoef;
        private Double maxGradNorm;
        private Boolean normalizeAdvantage;
        private AdvantageNormalization advantageNormalization;
        private Double trunkLearningRate;
        private Double policyHeadLearningRate;
        private Double valueHeadLearningRate;
        private Double trunkAdamEpsilon;
        private Double policyHeadAdamEpsilon;
        private Double valueHeadAdamEpsilon;
        private Boolean normalizeValue;
        private Double targetKl;
        private Double clipRangeVf;
        private Integer criticExtraEpochs;
        private Double logStdInit;
        private LogStd logStd;
        private Double logStdEnd;
        private Boolean useSde;
        private Integer sdeSampleFreq;
        private Boolean orthoInit;
        private Boolean sharedNetwork;
        private Boolean normalizeObservations;
        private Boolean normalizeReward;
        private NetworkConfig network;
        /** Options given by their JSON names ({@link #named}), checked when build() reaches them. */
        private final Map<String, String> names = new HashMap<>();

        // @formatter:off
        public Builder learningRate(Double value) { learningRate = value; return this; }
        public Builder learningRateSchedule(Schedule.Kind value) { learningRateSchedule = value; return this; }
        public Builder actorLearningRate(Double value) { actorLearningRate = value; return this; }
        public Builder criticLearningRate(Double value) { criticLearningRate = value; return this; }
        public Builder actorAdamEpsilon(Double value) { actorAdamEpsilon = value; return this; }
        public Builder criticAdamEpsilon(Double value) { criticAdamEpsilon = value; return this; }
        public Builder nSteps(Integer value) { nSteps = value; return this; }
        public Builder batchSize(Integer value) { batchSize = value; return this; }
        public Builder nEpochs(Integer value) { nEpochs = value; return this; }
        public Builder gamma(Double value) { gamma = value; return this; }
        public Builder gaeLambda(Double value) { gaeLambda = value; return this; }
        public Builder clipRange(Double value) { clipRange = value; return this; }
        public Builder clipRangeSchedule(Schedule.Kind value) { clipRangeSchedule = value; return this; }
        public Builder objective(Objective value) { objective = value; return this; }
        public Builder klTarget(Double value) { klTarget = value; return this; }
        public Builder klCoefInit(Double value) { klCoefInit = value; return this; }
        public Builder entCoef(Double value) { entCoef = value; return this; }
        public Builder entCoefSchedule(Schedule.Kind value) { entCoefSchedule = value; return this; }
        public Builder entCoefEnd(Double value) { entCoefEnd = value; return this; }
        public Builder vfCoef(Double value) { vfCoef = value; return this; }
        public Builder maxGradNorm(Double value) { maxGradNorm = value; return this; }
        public Builder normalizeAdvantage(Boolean value) { normalizeAdvantage = value; return this; }
        public Builder advantageNormalization(AdvantageNormalization value) { advantageNormalization = value; return this; }
        public Builder trunkLearningRate(Double value) { trunkLearningRate = value; return this; }
        public Builder policyHeadLearningRate(Double value) { policyHeadLearningRate = value; return this; }
        public Builder valueHeadLearningRate(Double value) { valueHeadLearningRate = value; return this; }
        public Builder trunkAdamEpsilon(Double value) { trunkAdamEpsilon = value; return this; }
        public Builder policyHeadAdamEpsilon(Double value) { policyHeadAdamEpsilon = value; return this; }
        public Builder valueHeadAdamEpsilon(Double value) { valueHeadAdamEpsilon = value; return this; }
        public Builder normalizeValue(Boolean value) { normalizeValue = value; return this; }
        public Builder targetKl(Double value) { targetKl = value; return this; }
        public Builder clipRangeVf(Double value) { clipRangeVf = value; return this; }
        public Builder criticExtraEpochs(Integer value) { criticExtraEpochs = value; return this; }
        public Builder logStdInit(Double value) { logStdInit = value; return this; }
        public Builder logStd(LogStd value) { logStd = value; return this; }
        public Builder logStdEnd(Double value) { logStdEnd = value; return this; }
        public Builder useSde(Boolean value) { useSde = value; return this; }
        public Builder sdeSampleFreq(Integer value) { sdeSampleFreq = value; return this; }
        public Builder orthoInit(Boolean value) { orthoInit = value; return this; }
        public Builder sharedNetwork(Boolean value) { sharedNetwork = value; return this; }
        public Builder normalizeObservations(Boolean value) { normalizeObservations = value; return this; }
        public Builder normalizeReward(Boolean value) { normalizeReward = value; return this; }
        public Builder network(NetworkConfig value) { network = value; return this; }
        // @formatter:on

        /**
         * Sets the option {@code field} (learningRateSchedule, clipRangeSchedule, objective,
         * entCoefSchedule, logStd, advantageNormalization) by its JSON name; null leaves it at its default. An unknown
         * name fails {@link #build} when the checks reach that field, as the REST API reports it.
         */
        public Builder named(String field, String jsonName) {
            names.put(field, jsonName);
            return this;
        }

        /** Defaults filled in and checked, in the order the REST API reports the first problem in. */
        public PpoConfig build() {
            double lr = Check.inRange("learningRate", or(learningRate, 3e-4), 0, false, MAX_LEARNING_RATE);
            Schedule.Kind lrSchedule = option("learningRateSchedule", learningRateSchedule, Schedule.Kind.class,
                    Schedule.CONSTANT);
            double actorLr = Check.inRange("actorLearningRate", or(actorLearningRate, lr), 0, false, MAX_LEARNING_RATE);
            double criticLr = Check.inRange("criticLearningRate", or(criticLearningRate, lr), 0, false, MAX_LEARNING_RATE);
            double actorEps = Check.inRange("actorAdamEpsilon", or(actorAdamEpsilon, 1e-5), 0, false, 1);
            double criticEps = Check.inRange("criticAdamEpsilon", or(criticAdamEpsilon, 1e-5), 0, false, 1);
            int steps = Check.intInRange("nSteps", or(nSteps, 2048), 1, 1 << 16);
            int batch = Check.intInRange("batchSize", or(batchSize, 64), 1, 1 << 16);
            int epochs = Check.intInRange("nEpochs", or(nEpochs, 10), 1, 1000);
            double discount = Check.inRange("gamma", or(gamma, 0.99), 0, false, 1);
            double lambda = Check.inRange("gaeLambda", or(gaeLambda, 0.95), 0, true, 1);
            double clip = Check.inRange("clipRange", or(clipRange, 0.2), 0, false, 1);
            Schedule.Kind clipSchedule = option("clipRangeSchedule", clipRangeSchedule, Schedule.Kind.class,
                    Schedule.CONSTANT);
            Objective objectiveOrDefault = option("objective", objective, Objective.class, Objective.CLIP);
            double kl = Check.inRange("klTarget", or(klTarget, 0.01), 0, false, 10);
            double klCoef = Check.inRange("klCoefInit", or(klCoefInit, 1.0), 0, false, 1e6);
            double ent = Check.inRange("entCoef", or(entCoef, 0.0), 0, true, MAX_COEFFICIENT);
            Schedule.Kind entSchedule = option("entCoefSchedule", entCoefSchedule, Schedule.Kind.class,
                    Schedule.CONSTANT);
            double entEnd = Check.inRange("entCoefEnd", or(entCoefEnd, 0.0), 0, true, MAX_COEFFICIENT);
            double vf = Check.inRange("vfCoef", or(vfCoef, 0.5), 0, true, MAX_COEFFICIENT);
            double gradNorm = Check.inRange("maxGradNorm", or(maxGradNorm, 0.5), 0, false, 1e6);
            AdvantageNormalization advantageMode = advantageMode();
            if (targetKl != null) {
                Check.inRange("targetKl", targetKl, 0, false, 10);
            }
            if (clipRangeVf != null) {
                Check.positive("clipRangeVf", clipRangeVf);
            }
            int criticEpochs = Check.intInRange("criticExtraEpochs", or(criticExtraEpochs, 0), 0, 100);
            double logStdStart = Check.inRange("logStdInit", or(logStdInit, 0.0), -20, true, 2);
            LogStd logStdMode = option("logStd", logStd, LogStd.class, LogStd.STATE_INDEPENDENT);
            if (logStdEnd != null) {
                Check.inRange("logStdEnd", logStdEnd, -20, true, 2);
                if (logStdMode != LogStd.FIXED) {
                    throw new InvalidConfigException("logStdEnd", "applies only with logStd '"
                            + LogStd.FIXED.jsonName() + "' (a fixed log-std decayed linearly from logStdInit to "
                            + "logStdEnd)");
                }
            }
            boolean sde = or(useSde, false);
            if (sde && logStdMode != LogStd.STATE_INDEPENDENT) {
                throw new InvalidConfigException("useSde", "gSDE brings its own state-dependent log-std; "
                        + "leave logStd at '" + LogStd.STATE_INDEPENDENT.jsonName() + "'");
            }
            int sdeFreq = Check.intInRange("sdeSampleFreq", or(sdeSampleFreq, -1), -1, 1 << 20);
            if (sdeFreq == 0) {
                throw new InvalidConfigException("sdeSampleFreq",
                        "must be -1 (new noise once per rollout) or >= 1 (new noise every sdeSampleFreq steps), was 0");
            }
            boolean ortho = or(orthoInit, true);
            boolean shared = or(sharedNetwork, false);
            Layers layers = layers(shared, lr, actorLr, criticLr, actorEps, criticEps);
            boolean normalizeObs = or(normalizeObservations, false);
            boolean normalizeRew = or(normalizeReward, false);
            boolean normalizeVal = or(normalizeValue, false);
            NetworkConfig net = network == null ? NetworkConfig.defaults() : network;
            if (advantageMode == AdvantageNormalization.MINIBATCH && batch == 1) {
                throw new InvalidConfigException("batchSize", "must be > 1 when advantages are normalised per "
                        + "minibatch (a one-sample batch has no spread); use advantageNormalization 'rollout' or 'off'");
            }
            return new PpoConfig(new Rollout(steps, discount, lambda),
                    new Update(batch, epochs, advantageMode, targetKl, criticEpochs),
                    new Loss(objectiveOrDefault, clip, clipSchedule, clipRangeVf, kl, klCoef, ent, entSchedule, entEnd,
                            vf),
                    new Optimizer(lr, lrSchedule, actorLr, criticLr, actorEps, criticEps, gradNorm, layers),
                    new Model(net, ortho, shared, logStdMode, logStdStart, logStdEnd, sde, sdeFreq),
                    new Normalization(normalizeObs, normalizeRew, normalizeVal));
        }

        /**
         * advantageNormalization, or what the older switch normalizeAdvantage says (false: off);
         * the two must not contradict each other.
         */
        private AdvantageNormalization advantageMode() {
            AdvantageNormalization mode = option("advantageNormalization", advantageNormalization,
                    AdvantageNormalization.class, null);
            if (mode == null) {
                return or(normalizeAdvantage, true) ? AdvantageNormalization.MINIBATCH : AdvantageNormalization.OFF;
            }
            if (normalizeAdvantage != null && normalizeAdvantage != (mode != AdvantageNormalization.OFF)) {
                throw new InvalidConfigException("normalizeAdvantage", "contradicts advantageNormalization '"
                        + mode.jsonName() + "': leave normalizeAdvantage out or make it agree");
            }
            return mode;
        }

        /**
         * A shared network's parameter groups: the policy head at the actor's rate, the value head
         * at the critic's, the trunk at theirs when they agree (as a shared network trained before
         * groups existed), else at learningRate; each epsilon likewise (the trunk's defaults to
         * the actor's and critic's when they agree, else 1e-5). Null without a shared
         * network, where the group settings are rejected.
         */
        private Layers layers(boolean shared, double lr, double actorLr, double criticLr, double actorEps,
                double criticEps) {
            if (!shared) {
                String[] fields = {"trunkLearningRate", "policyHeadLearningRate", "valueHeadLearningRate",
                        "trunkAdamEpsilon", "policyHeadAdamEpsilon", "valueHeadAdamEpsilon"};
                Double[] values = {trunkLearningRate, policyHeadLearningRate, valueHeadLearningRate,
                        trunkAdamEpsilon, policyHeadAdamEpsilon, valueHeadAdamEpsilon};
                for (int i = 0; i < fields.length; i++) {
                    if (values[i] != null) {
                        throw new InvalidConfigException(fields[i], "applies only with sharedNetwork true (the "
                                + "trunk and the two heads of one network); separate networks take "
                                + "actorLearningRate/criticLearningRate and actorAdamEpsilon/criticAdamEpsilon");
                    }
                }
                return null;
            }
            return new Layers(Check.inRange("trunkLearningRate",
                            or(trunkLearningRate, actorLr == criticLr ? actorLr : lr), 0, false, MAX_LEARNING_RATE),
                    Check.inRange("policyHeadLearningRate", or(policyHeadLearningRate, actorLr), 0, false, MAX_LEARNING_RATE),
                    Check.inRange("valueHeadLearningRate", or(valueHeadLearningRate, criticLr), 0, false, MAX_LEARNING_RATE),
                    Check.inRange("trunkAdamEpsilon", or(trunkAdamEpsilon, actorEps == criticEps ? actorEps : 1e-5), 0, false, 1),
                    Check.inRange("policyHeadAdamEpsilon", or(policyHeadAdamEpsilon, actorEps), 0, false, 1),
                    Check.inRange("valueHeadAdamEpsilon", or(valueHeadAdamEpsilon, criticEps), 0, false, 1));
        }

        private <E extends Enum<E> & JsonNamed> E option(String field, E value, Class<E> type, E fallback) {
            if (value != null) {
                return value;
            }
            E named = JsonNamed.parseOrNull(type, field, names.get(field));
            return named == null ? fallback : named;
        }

        private static <T> T or(T value, T fallback) {
            return value == null ? fallback : value;
        }
    }
}

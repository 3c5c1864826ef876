package dev.proxima.job;

import dev.proxima.ppo.config.JsonNamed;
import dev.proxima.ppo.config.PpoConfig;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The REST API's {@code hyperparameters} object: flat, options as their JSON names
 * ("linear", "klPenalty"), as jobs have always been submitted and stored. Read from JSON it is
 * checked by the core's {@link PpoConfig.Builder} and holds the effective values, defaults
 * filled in, so a stored request says exactly what trained. The schema keeps its name from when
 * the core's configuration was the API object.
 */
@Schema(name = "PpoConfig")
public record Hyperparameters(
        Double learningRate,
        String learningRateSchedule,
        Double actorLearningRate,
        Double criticLearningRate,
        Double actorAdamEpsilon,
        Double criticAdamEpsilon,
        Double trunkLearningRate,
        Double policyHeadLearningRate,
        Double valueHeadLearningRate,
        Double trunkAdamEpsilon,
        Double policyHeadAdamEpsilon,
        Double valueHeadAdamEpsilon,
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
        String advantageNormalization,
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
        Boolean normalizeValue,
        NetworkHyperparameters network) {

    public Hyperparameters {
        PpoConfig config = toConfig(
                learningRate, learningRateSchedule, actorLearningRate, criticLearningRate, actorAdamEpsilon,
                criticAdamEpsilon, trunkLearningRate, policyHeadLearningRate, valueHeadLearningRate,
                trunkAdamEpsilon, policyHeadAdamEpsilon, valueHeadAdamEpsilon, nSteps, batchSize, nEpochs,
                gamma, gaeLambda, clipRange, clipRangeSchedule, objective, klTarget, klCoefInit, entCoef,
                entCoefSchedule, entCoefEnd, vfCoef, maxGradNorm, normalizeAdvantage, advantageNormalization,
                targetKl, clipRangeVf, criticExtraEpochs, logStdInit, logStd, logStdEnd, useSde,
                sdeSampleFreq, orthoInit, sharedNetwork, normalizeObservations, normalizeReward,
                normalizeValue, network);
        PpoConfig.Layers layers = config.optimizer().layers();
        learningRate = config.optimizer().learningRate();
        learningRateSchedule = JsonNamed.nameOf(config.optimizer().learningRateSchedule());
        actorLearningRate = config.optimizer().actorLearningRate();
        criticLearningRate = config.optimizer().criticLearningRate();
        actorAdamEpsilon = config.optimizer().actorAdamEpsilon();
        criticAdamEpsilon = config.optimizer().criticAdamEpsilon();
        trunkLearningRate = layers == null ? null : layers.trunkLearningRate();
        policyHeadLearningRate = layers == null ? null : layers.policyHeadLearningRate();
        valueHeadLearningRate = layers == null ? null : layers.valueHeadLearningRate();
        trunkAdamEpsilon = layers == null ? null : layers.trunkAdamEpsilon();
        policyHeadAdamEpsilon = layers == null ? null : layers.policyHeadAdamEpsilon();
        valueHeadAdamEpsilon = layers == null ? null : layers.valueHeadAdamEpsilon();
        nSteps = config.rollout().nSteps();
        batchSize = config.update().batchSize();
        nEpochs = config.update().nEpochs();
        gamma = config.rollout().gamma();
        gaeLambda = config.rollout().gaeLambda();
        clipRange = config.loss().clipRange();
        clipRangeSchedule = JsonNamed.nameOf(config.loss().clipRangeSchedule());
        objective = JsonNamed.nameOf(config.loss().objective());
        klTarget = config.loss().klTarget();
        klCoefInit = config.loss().klCoefInit();
        entCoef = config.loss().entCoef();
        entCoefSchedule = JsonNamed.nameOf(config.loss().entCoefSchedule());
        entCoefEnd = config.loss().entCoefEnd();
        vfCoef = config.loss().vfCoef();
        maxGradNorm = config.optimizer().maxGradNorm();
        normalizeAdvantage = config.update().normalizeAdvantage();
        advantageNormalization = JsonNamed.nameOf(config.update().advantageNormalization());
        targetKl = config.update().targetKl();
        clipRangeVf = config.loss().clipRangeVf();
        criticExtraEpochs = config.update().criticExtraEpochs();
        logStdInit = config.model().logStdInit();
        logStd = JsonNamed.nameOf(config.model().logStd());
        logStdEnd = config.model().logStdEnd();
        useSde = config.model().useSde();
        sdeSampleFreq = config.model().sdeSampleFreq();
        orthoInit = config.model().orthoInit();
        sharedNetwork = config.model().sharedNetwork();
        normalizeObservations = config.normalization().observations();
        normalizeReward = config.normalization().reward();
        normalizeValue = config.normalization().value();
        network = NetworkHyperparameters.of(config.model().network());
    }

    /** Stable-Baselines3's defaults. */
    public static Hyperparameters defaults() {
        return new Hyperparameters(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The core's configuration of these values. */
    public PpoConfig toConfig() {
        return toConfig(
                learningRate, learningRateSchedule, actorLearningRate, criticLearningRate, actorAdamEpsilon,
                criticAdamEpsilon, trunkLearningRate, policyHeadLearningRate, valueHeadLearningRate,
                trunkAdamEpsilon, policyHeadAdamEpsilon, valueHeadAdamEpsilon, nSteps, batchSize, nEpochs,
                gamma, gaeLambda, clipRange, clipRangeSchedule, objective, klTarget, klCoefInit, entCoef,
                entCoefSchedule, entCoefEnd, vfCoef, maxGradNorm, normalizeAdvantage, advantageNormalization,
                targetKl, clipRangeVf, criticExtraEpochs, logStdInit, logStd, logStdEnd, useSde,
                sdeSampleFreq, orthoInit, sharedNetwork, normalizeObservations, normalizeReward,
                normalizeValue, network);
    }

    private static PpoConfig toConfig(
            Double learningRate, String learningRateSchedule, Double actorLearningRate,
            Double criticLearningRate, Double actorAdamEpsilon, Double criticAdamEpsilon,
            Double trunkLearningRate, Double policyHeadLearningRate, Double valueHeadLearningRate,
            Double trunkAdamEpsilon, Double policyHeadAdamEpsilon, Double valueHeadAdamEpsilon,
            Integer nSteps, Integer batchSize, Integer nEpochs, Double gamma, Double gaeLambda,
            Double clipRange, String clipRangeSchedule, String objective, Double klTarget, Double klCoefInit,
            Double entCoef, String entCoefSchedule, Double entCoefEnd, Double vfCoef, Double maxGradNorm,
            Boolean normalizeAdvantage, String advantageNormalization, Double targetKl, Double clipRangeVf,
            Integer criticExtraEpochs, Double logStdInit, String logStd, Double logStdEnd, Boolean useSde,
            Integer sdeSampleFreq, Boolean orthoInit, Boolean sharedNetwork, Boolean normalizeObservations,
            Boolean normalizeReward, Boolean normalizeValue, NetworkHyperparameters network) {
        return PpoConfig.builder()
                .learningRate(learningRate)
                .named("learningRateSchedule", learningRateSchedule)
                .actorLearningRate(actorLearningRate)
                .criticLearningRate(criticLearningRate)
                .actorAdamEpsilon(actorAdamEpsilon)
                .criticAdamEpsilon(criticAdamEpsilon)
                .trunkLearningRate(trunkLearningRate)
                .policyHeadLearningRate(policyHeadLearningRate)
                .valueHeadLearningRate(valueHeadLearningRate)
                .trunkAdamEpsilon(trunkAdamEpsilon)
                .policyHeadAdamEpsilon(policyHeadAdamEpsilon)
                .valueHeadAdamEpsilon(valueHeadAdamEpsilon)
                .nSteps(nSteps)
                .batchSize(batchSize)
                .nEpochs(nEpochs)
                .gamma(gamma)
                .gaeLambda(gaeLambda)
                .clipRange(clipRange)
                .named("clipRangeSchedule", clipRangeSchedule)
                .named("objective", objective)
                .klTarget(klTarget)
                .klCoefInit(klCoefInit)
                .entCoef(entCoef)
                .named("entCoefSchedule", entCoefSchedule)
                .entCoefEnd(entCoefEnd)
                .vfCoef(vfCoef)
                .maxGradNorm(maxGradNorm)
                .normalizeAdvantage(normalizeAdvantage)
                .named("advantageNormalization", advantageNormalization)
                .targetKl(targetKl)
                .clipRangeVf(clipRangeVf)
                .criticExtraEpochs(criticExtraEpochs)
                .logStdInit(logStdInit)
                .named("logStd", logStd)
                .logStdEnd(logStdEnd)
                .useSde(useSde)
                .sdeSampleFreq(sdeSampleFreq)
                .orthoInit(orthoInit)
                .sharedNetwork(sharedNetwork)
                .normalizeObservations(normalizeObservations)
                .normalizeReward(normalizeReward)
                .normalizeValue(normalizeValue)
                .network(network == null ? null : network.toConfig())
                .build();
    }
}

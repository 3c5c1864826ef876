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
        NetworkHyperparameters network) {

    public Hyperparameters {
        PpoConfig config = toConfig(learningRate, learningRateSchedule, actorLearningRate, criticLearningRate,
                actorAdamEpsilon, criticAdamEpsilon, nSteps, batchSize, nEpochs, gamma, gaeLambda, clipRange,
                clipRangeSchedule, objective, klTarget, klCoefInit, entCoef, entCoefSchedule, entCoefEnd, vfCoef,
                maxGradNorm, normalizeAdvantage, targetKl, clipRangeVf, criticExtraEpochs, logStdInit, logStd,
                logStdEnd, useSde, sdeSampleFreq, orthoInit, sharedNetwork, normalizeObservations, normalizeReward,
                network);
        learningRate = config.optimizer().learningRate();
        learningRateSchedule = JsonNamed.nameOf(config.optimizer().learningRateSchedule());
        actorLearningRate = config.optimizer().actorLearningRate();
        criticLearningRate = config.optimizer().criticLearningRate();
        actorAdamEpsilon = config.optimizer().actorAdamEpsilon();
        criticAdamEpsilon = config.optimizer().criticAdamEpsilon();
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
        network = NetworkHyperparameters.of(config.model().network());
    }

    /** Stable-Baselines3's defaults. */
    public static Hyperparameters defaults() {
        return new Hyperparameters(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }

    /** The core's configuration of these values. */
    public PpoConfig toConfig() {
        return toConfig(learningRate, learningRateSchedule, actorLearningRate, criticLearningRate, actorAdamEpsilon,
                criticAdamEpsilon, nSteps, batchSize, nEpochs, gamma, gaeLambda, clipRange, clipRangeSchedule,
                objective, klTarget, klCoefInit, entCoef, entCoefSchedule, entCoefEnd, vfCoef, maxGradNorm,
                normalizeAdvantage, targetKl, clipRangeVf, criticExtraEpochs, logStdInit, logStd, logStdEnd, useSde,
                sdeSampleFreq, orthoInit, sharedNetwork, normalizeObservations, normalizeReward, network);
    }

    private static PpoConfig toConfig(Double learningRate, String learningRateSchedule, Double actorLearningRate,
            Double criticLearningRate, Double actorAdamEpsilon, Double criticAdamEpsilon, Integer nSteps,
            Integer batchSize, Integer nEpochs, Double gamma, Double gaeLambda, Double clipRange,
            String clipRangeSchedule, String objective, Double klTarget, Double klCoefInit, Double entCoef,
            String entCoefSchedule, Double entCoefEnd, Double vfCoef, Double maxGradNorm, Boolean normalizeAdvantage,
            Double targetKl, Double clipRangeVf, Integer criticExtraEpochs, Double logStdInit, String logStd,
            Double logStdEnd, Boolean useSde, Integer sdeSampleFreq, Boolean orthoInit, Boolean sharedNetwork,
            Boolean normalizeObservations, Boolean normalizeReward, NetworkHyperparameters network) {
        return PpoConfig.builder()
                .learningRate(learningRate)
                .named("learningRateSchedule", learningRateSchedule)
                .actorLearningRate(actorLearningRate)
                .criticLearningRate(criticLearningRate)
                .actorAdamEpsilon(actorAdamEpsilon)
                .criticAdamEpsilon(criticAdamEpsilon)
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
                .network(network == null ? null : network.toConfig())
                .build();
    }
}

package dev.proxima.ppo.update;

import dev.proxima.ppo.TrainingDivergedException;
import dev.proxima.ppo.TrainingStoppedException;
import dev.proxima.ppo.config.AdvantageNormalization;
import dev.proxima.ppo.config.Objective;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.ppo.model.ActorCritic;
import dev.proxima.ppo.model.ValueNormalizer;
import dev.proxima.ppo.rollout.RolloutBuffer;
import dev.proxima.ppo.Metrics;
import dev.proxima.ppo.distribution.ActionDistribution;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * SB3's PPO.train(): nEpochs passes of shuffled minibatches over one rollout, each a clipped
 * surrogate + value + entropy step with global gradient-norm clipping and Adam. Under
 * normalizeValue the update first merges the rollout's returns into PopArt's statistics, then the
 * critic fits normalised returns; explained variance stays in the rewards' units.
 */
public final class PpoUpdater {

    private final PpoConfig config;
    private long updates;
    /** The KL penalty's coefficient beta, adapted after every update (objective klPenalty). */
    private double klBeta;
    /** Checked before every minibatch: true abandons the update (TrainingStoppedException). */
    private BooleanSupplier stop = () -> false;

    public PpoUpdater(PpoConfig config) {
        this.config = config;
        this.klBeta = config.loss().klCoefInit();
    }

    /** Continues from a checkpoint: the gradient-step count SB3 logs and the KL penalty's beta. */
    public void restore(long updates, double klBeta) {
        this.updates = updates;
        this.klBeta = klBeta;
    }

    /** From now on, {@code stop} is checked before every minibatch; true abandons the update. */
    public void stopWhen(BooleanSupplier stop) {
        this.stop = stop;
    }

    public long updates() {
        return updates;
    }

    public double klBeta() {
        return klBeta;
    }

    /** The averages SB3 logs under train/. */
    public record Stats(double policyGradientLoss, double valueLoss, double entropyLoss, double approxKl,
            double clipFraction, double loss, double explainedVariance, long updates, int epochsRun,
            Double klBeta, Map<String, Double> headMetrics) {
    }

    /**
     * nEpochs over the rollout in minibatches shuffled by {@code random}, every configured
     * learning rate times {@code learningRateScale} (the schedule's value over learningRate).
     */
    public Stats update(ActorCritic model, RolloutBuffer buffer, double learningRateScale, double clipRange,
            double entCoef, int iteration, RandomGenerator random) {
        model.setLearningRates(config.optimizer(), learningRateScale);
        int size = buffer.size();
        int batchSize = config.update().batchSize();
        boolean klPenalty = config.loss().objective() == Objective.KL_PENALTY;
        Double beta = klPenalty ? klBeta : null;
        ValueNormalizer valueNormalizer = model.valueNormalizer();
        if (valueNormalizer != null) {
            model.updateValueStatistics(buffer.returns());
        }
        // under normalizeValue the value loss, and so its clip range, are in normalised units
        Double clipRangeVf = config.loss().clipRangeVf();
        if (clipRangeVf != null && valueNormalizer != null) {
            clipRangeVf = clipRangeVf / valueNormalizer.std();
        }
        int[] indices = new int[size];
        AdvantageNormalization advantageMode = config.update().advantageNormalization();
        double[] advantages = buffer.advantages();
        if (advantageMode == AdvantageNormalization.ROLLOUT && size > 1) {
            advantages = advantages.clone();
            Minibatch.normalize(advantages, Minibatch.meanMagnitude(buffer.values()));
        }
        double policyLosses = 0;
        double valueLosses = 0;
        double entropyLosses = 0;
        double approxKls = 0;
        double clipFractions = 0;
        double lastLoss = Double.NaN;
        int minibatches = 0;
        int lastEpochMinibatches = 0;
        int epochsRun = 0;
        boolean continueTraining = true;
        for (int epoch = 0; epoch < config.update().nEpochs() && continueTraining; epoch++) {
            // SB3 reports the approx_kl of the last epoch run (the one target_kl may have cut short)
            approxKls = 0;
            int epochMinibatches = 0;
            shuffle(indices, random);
            for (int from = 0; from < size; from += batchSize) {
                TrainingStoppedException.throwIf(stop, iteration);
                Minibatch batch = Minibatch.gather(buffer, advantages, indices, from, Math.min(from + batchSize, size),
                        advantageMode == AdvantageNormalization.MINIBATCH);
                normalizeValueTargets(batch, valueNormalizer);
                int rows = batch.size();
                ActorCritic.Outputs outputs = model.forward(batch.observations(), rows);
                applyMasks(model, outputs.policyParameters(), batch.masks(), rows);
                PpoLoss.Result result = PpoLoss.evaluate(model.distribution(), outputs.policyParameters(),
                        outputs.values(), batch, clipRange, entCoef, config.loss().vfCoef(), clipRangeVf, beta);
                lastLoss = result.total(entCoef, config.loss().vfCoef());
                if (!Double.isFinite(lastLoss)) {
                    throw new TrainingDivergedException(iteration, "loss", lastLoss);
                }
                policyLosses += result.policyLoss();
                valueLosses += result.valueLoss();
                entropyLosses += result.entropyLoss();
                approxKls += result.approxKl();
                clipFractions += result.clipFraction();
                minibatches++;
                epochMinibatches++;
                if (config.update().targetKl() != null && result.approxKl() > 1.5 * config.update().targetKl()) {
                    continueTraining = false;
                    break;
                }
                double gradientNorm = model.step(result.policyGradient(), result.valueGradient(), rows,
                        config.optimizer().maxGradNorm());
                if (!Double.isFinite(gradientNorm)) {
                    throw new TrainingDivergedException(iteration, "gradient norm", gradientNorm);
                }
            }
            epochsRun++;
            lastEpochMinibatches = epochMinibatches;
        }
        for (int epoch = 0; epoch < config.update().criticExtraEpochs(); epoch++) {
            fitCritic(model, buffer, indices, iteration, random);
        }
        updates += epochsRun;
        if (!model.parametersFinite()) {
            throw new TrainingDivergedException(iteration, "network parameters", Double.NaN);
        }
        boolean perHead = !model.distribution().heads().isEmpty();
        float[] updatedParams = klPenalty || perHead ? updatedPolicyParameters(model, buffer) : null;
        if (klPenalty) {
            klBeta = adaptKlBeta(klBeta, meanKl(model, buffer, updatedParams), config.loss().klTarget());
        }
        return new Stats(policyLosses / minibatches, valueLosses / minibatches, entropyLosses / minibatches,
                approxKls / lastEpochMinibatches, clipFractions / minibatches, lastLoss,
                explainedVariance(buffer.values(), buffer.returns()), updates, epochsRun, beta,
                perHead ? headDiagnostics(model, buffer, updatedParams) : Map.of());
    }

    /**
     * Each head's entropy and approx_kl ((r - 1) - log r of the head's own log-ratio), over the
     * whole rollout after the update: which part of a MultiDiscrete or hybrid policy is settling.
     */
    private static Map<String, Double> headDiagnostics(ActorCritic model, RolloutBuffer buffer, float[] params) {
        ActionDistribution distribution = model.distribution();
        List<String> heads = distribution.heads();
        int paramSize = distribution.paramSize();
        int actionSize = distribution.actionSize();
        double[] entropies = new double[heads.size()];
        double[] approxKls = new double[heads.size()];
        for (int i = 0; i < buffer.size(); i++) {
            for (int h = 0; h < heads.size(); h++) {
                entropies[h] += distribution.headEntropy(params, i * paramSize, h);
                double logRatio = distribution.headLogProb(params, i * paramSize, buffer.actions(), i * actionSize, h)
                        - distribution.headLogProb(buffer.policyParams(), i * paramSize, buffer.actions(),
                                i * actionSize, h);
                approxKls[h] += Math.expm1(logRatio) - logRatio;
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int h = 0; h < heads.size(); h++) {
            metrics.put(Metrics.entropyOf(heads.get(h)), entropies[h] / buffer.size());
            metrics.put(Metrics.approxKlOf(heads.get(h)), approxKls[h] / buffer.size());
        }
        return metrics;
    }

    /** normalizeValue: the minibatch's returns and old values in the critic's normalised units, in place. */
    private static void normalizeValueTargets(Minibatch batch, ValueNormalizer normalizer) {
        if (normalizer == null) {
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.returns()[i] = normalizer.normalize(batch.returns()[i]);
            batch.oldValues()[i] = normalizer.normalize(batch.oldValues()[i]);
        }
    }

    /** One value-only epoch (criticExtraEpochs): the critic fits the returns again, the actor rests. */
    private void fitCritic(ActorCritic model, RolloutBuffer buffer, int[] indices, int iteration,
            RandomGenerator random) {
        shuffle(indices, random);
        for (int from = 0; from < buffer.size(); from += config.update().batchSize()) {
            TrainingStoppedException.throwIf(stop, iteration);
            Minibatch batch = Minibatch.gather(buffer, buffer.advantages(), indices, from,
                    Math.min(from + config.update().batchSize(), buffer.size()), false);
            normalizeValueTargets(batch, model.valueNormalizer());
            int rows = batch.size();
            float[] values = model.forwardValues(batch.observations(), rows);
            double[] gradient = new double[rows];
            for (int i = 0; i < rows; i++) {
                gradient[i] = config.loss().vfCoef() * 2 * (values[i] - batch.returns()[i]) / rows;
            }
            double norm = model.stepCritic(gradient, rows, config.optimizer().maxGradNorm());
            if (!Double.isFinite(norm)) {
                throw new TrainingDivergedException(iteration, "critic gradient norm", norm);
            }
        }
    }

    /** The paper's rule: beta doubles when KL > 1.5 target, halves when KL < target / 1.5. */
    public static double adaptKlBeta(double beta, double kl, double target) {
        if (kl > 1.5 * target) {
            return beta * 2;
        }
        if (kl < target / 1.5) {
            return beta / 2;
        }
        return beta;
    }

    /** Masked actions get the same zero probability in the update as when they were (not) sampled. */
    private static void applyMasks(ActorCritic model, float[] params, boolean[] masks, int rows) {
        if (masks == null) {
            return;
        }
        var distribution = model.distribution();
        for (int r = 0; r < rows; r++) {
            distribution.applyMask(params, r * distribution.paramSize(), masks, r * distribution.maskSize());
        }
    }

    /** The updated policy's (masked) distribution parameters for every observation of the rollout. */
    private static float[] updatedPolicyParameters(ActorCritic model, RolloutBuffer buffer) {
        float[] params = model.policyParameters(buffer.observations(), buffer.size());
        applyMasks(model, params, buffer.maskSize() == 0 ? null : buffer.masks(), buffer.size());
        return params;
    }

    /** Mean KL(pi_old || pi_new) over the whole rollout, after the update. */
    private static double meanKl(ActorCritic model, RolloutBuffer buffer, float[] params) {
        int paramSize = buffer.paramSize();
        double total = 0;
        for (int i = 0; i < buffer.size(); i++) {
            total += model.distribution().kl(buffer.policyParams(), i * paramSize, params, i * paramSize);
        }
        return total / buffer.size();
    }

    private static void shuffle(int[] indices, RandomGenerator random) {
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i;
        }
        for (int i = indices.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = indices[i];
            indices[i] = indices[j];
            indices[j] = swap;
        }
    }

    /** 1 - Var(returns - values) / Var(returns): 1 is a perfect critic, 0 no better than a constant. */
    static double explainedVariance(double[] predicted, double[] actual) {
        double varActual = variance(actual, null);
        if (varActual == 0) {
            return Double.NaN;
        }
        return 1 - variance(actual, predicted) / varActual;
    }

    private static double variance(double[] values, double[] minus) {
        double mean = 0;
        for (int i = 0; i < values.length; i++) {
            mean += values[i] - (minus == null ? 0 : minus[i]);
        }
        mean /= values.length;
        double squares = 0;
        for (int i = 0; i < values.length; i++) {
            double d = values[i] - (minus == null ? 0 : minus[i]) - mean;
            squares += d * d;
        }
        return squares / values.length;
    }
}

package dev.proxima.ppo;

import java.util.random.RandomGenerator;

/**
 * SB3's PPO.train(): nEpochs passes of shuffled minibatches over one rollout, each a clipped
 * surrogate + value + entropy step with global gradient-norm clipping and Adam.
 */
final class PpoUpdater {

    private final PpoConfig config;
    private final RandomGenerator random;
    private long updates;

    PpoUpdater(PpoConfig config, RandomGenerator random) {
        this.config = config;
        this.random = random;
    }

    /** The averages SB3 logs under train/. */
    record Stats(double policyGradientLoss, double valueLoss, double entropyLoss, double approxKl,
            double clipFraction, double loss, double explainedVariance, long updates, int epochsRun) {
    }

    Stats update(ActorCritic model, RolloutBuffer buffer, double learningRate, double clipRange, int iteration) {
        model.setLearningRate(learningRate);
        int size = buffer.size();
        int batchSize = config.batchSize();
        int[] indices = new int[size];
        double policyLosses = 0;
        double valueLosses = 0;
        double entropyLosses = 0;
        double approxKls = 0;
        double clipFractions = 0;
        double lastLoss = Double.NaN;
        int minibatches = 0;
        int epochsRun = 0;
        boolean continueTraining = true;
        for (int epoch = 0; epoch < config.nEpochs() && continueTraining; epoch++) {
            shuffle(indices);
            for (int from = 0; from < size; from += batchSize) {
                Minibatch batch = Minibatch.gather(buffer, indices, from, Math.min(from + batchSize, size),
                        config.normalizeAdvantage());
                int rows = batch.size();
                ActorCritic.Outputs outputs = model.forward(batch.observations(), rows);
                PpoLoss.Result result = PpoLoss.evaluate(model.distribution(), outputs.policyParameters(),
                        outputs.values(), batch, clipRange, config.entCoef(), config.vfCoef());
                lastLoss = result.total(config.entCoef(), config.vfCoef());
                if (!Double.isFinite(lastLoss)) {
                    throw new TrainingDivergedException(iteration, "loss", lastLoss);
                }
                policyLosses += result.policyLoss();
                valueLosses += result.valueLoss();
                entropyLosses += result.entropyLoss();
                approxKls += result.approxKl();
                clipFractions += result.clipFraction();
                minibatches++;
                if (config.targetKl() != null && result.approxKl() > 1.5 * config.targetKl()) {
                    continueTraining = false;
                    break;
                }
                double gradientNorm = model.step(result.policyGradient(), result.valueGradient(), rows,
                        config.maxGradNorm());
                if (!Double.isFinite(gradientNorm)) {
                    throw new TrainingDivergedException(iteration, "gradient norm", gradientNorm);
                }
            }
            epochsRun++;
        }
        updates += epochsRun;
        if (!model.parametersFinite()) {
            throw new TrainingDivergedException(iteration, "network parameters", Double.NaN);
        }
        return new Stats(policyLosses / minibatches, valueLosses / minibatches, entropyLosses / minibatches,
                approxKls / minibatches, clipFractions / minibatches, lastLoss,
                explainedVariance(buffer.values, buffer.returns), updates, epochsRun);
    }

    private void shuffle(int[] indices) {
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

package dev.proxima.ppo.update;

import dev.proxima.ppo.distribution.ActionDistribution;

/**
 * PPO's minibatch loss and its gradient with respect to the networks' outputs:
 * loss = -mean(min(r A, clip(r, 1-eps, 1+eps) A)) + vfCoef mean((R - V)^2) - entCoef mean(H),
 * with r = exp(logp_new - logp_old). The gradients are closed forms; the tests check them
 * against finite differences.
 */
public final class PpoLoss {

    private PpoLoss() {
    }

    /** The loss terms and statistics SB3 logs, plus d(loss)/d(outputs) for back-propagation. */
    public record Result(
            double policyLoss,
            double valueLoss,
            double entropyLoss,
            double approxKl,
            double clipFraction,
            double meanKl,
            double[] policyGradient,
            double[] valueGradient) {

        public double total(double entCoef, double vfCoef) {
            return policyLoss + entCoef * entropyLoss + vfCoef * valueLoss;
        }
    }

    /**
     * @param clipRangeVf when set, the value loss is max((V - R)^2, (V_clipped - R)^2) with
     *     V_clipped = V_old + clip(V - V_old, -clipRangeVf, clipRangeVf), as OpenAI Baselines and CleanRL
     * @param klBeta when set, the objective is the paper's adaptive-KL variant instead of clipping:
     *     -mean(r A) + klBeta * mean(KL(pi_old || pi)), KL taken exactly from the stored old parameters
     */
    public static Result evaluate(ActionDistribution distribution, float[] policyParams, float[] values, Minibatch batch,
            double clipRange, double entCoef, double vfCoef, Double clipRangeVf, Double klBeta) {
        int size = batch.size();
        int paramSize = distribution.paramSize();
        int actionSize = distribution.actionSize();
        double[] policyGradient = new double[size * paramSize];
        double[] valueGradient = new double[size];
        double policyLoss = 0;
        double valueLoss = 0;
        double entropySum = 0;
        double approxKl = 0;
        double klSum = 0;
        int clipped = 0;
        for (int i = 0; i < size; i++) {
            int paramOffset = i * paramSize;
            double logProb = distribution.logProb(policyParams, paramOffset, batch.actions(), i * actionSize);
            double logRatio = logProb - batch.oldLogProbs()[i];
            double ratio = Math.exp(logRatio);
            double advantage = batch.advantages()[i];
            double unclipped = ratio * advantage;
            double clippedRatio = Math.max(1 - clipRange, Math.min(1 + clipRange, ratio));
            double clippedObjective = clippedRatio * advantage;
            double dLossDLogProb;
            if (klBeta == null) {
                policyLoss -= Math.min(unclipped, clippedObjective);
                // The gradient flows through r A where min() picks it; when the two terms are
                // equal (r inside the range) both carry the same gradient A r.
                dLossDLogProb = unclipped <= clippedObjective ? -advantage * ratio / size : 0.0;
            } else {
                double kl = distribution.kl(batch.oldPolicyParams(), paramOffset, policyParams, paramOffset);
                klSum += kl;
                policyLoss += -unclipped + klBeta * kl;
                dLossDLogProb = -advantage * ratio / size;
                distribution.accumulateKlGradient(batch.oldPolicyParams(), paramOffset, policyParams, paramOffset,
                        klBeta / size, policyGradient);
            }
            if (Math.abs(ratio - 1) > clipRange) {
                clipped++;
            }
            approxKl += (ratio - 1) - logRatio;

            entropySum += distribution.entropy(policyParams, paramOffset);
            distribution.accumulateGradient(policyParams, paramOffset, batch.actions(), i * actionSize,
                    dLossDLogProb, -entCoef / size, policyGradient);

            double error = values[i] - batch.returns()[i];
            double squared = error * error;
            double dLossDValue = 2 * error;
            if (clipRangeVf != null) {
                double change = values[i] - batch.oldValues()[i];
                double clippedError = batch.oldValues()[i] + Math.max(-clipRangeVf, Math.min(clipRangeVf, change))
                        - batch.returns()[i];
                if (clippedError * clippedError > squared) {
                    squared = clippedError * clippedError;
                    dLossDValue = Math.abs(change) < clipRangeVf ? 2 * clippedError : 0.0;
                }
            }
            valueLoss += squared;
            valueGradient[i] = vfCoef * dLossDValue / size;
        }
        return new Result(policyLoss / size, valueLoss / size, -entropySum / size, approxKl / size,
                (double) clipped / size, klSum / size, policyGradient, valueGradient);
    }
}

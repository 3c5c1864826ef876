package dev.proxima.ppo.model;

import dev.proxima.ppo.config.PpoConfig;
import java.util.concurrent.ExecutorService;

/**
 * The networks behind an {@link ActorCritic}: {@link SeparateNetworks} (SB3's default, an actor
 * and a critic over the same observation) or {@link SharedNetwork} (one trunk, a policy head and
 * a value head). "Policy outputs" are the actor's policy head, row-major; what they mean is the
 * {@link PolicyHead}'s business.
 */
interface ActorCriticNetworks {

    int observationSize();

    /** The actor network: the one whose last layer starts with the policy head. */
    Mlp actor();

    /** Inference: the policy outputs of {@code rows} observations. */
    float[] policyOutputs(float[] observations, int rows);

    /** Inference: {policy outputs, the actor's last hidden activations}. */
    float[][] policyOutputsWithLatent(float[] observations, int rows);

    /** Inference: V(s) of {@code rows} observations. */
    float[] values(float[] observations, int rows);

    /** Training-mode forward pass of both heads for one minibatch; {@link #backward} uses its activations. */
    Outputs forward(float[] observations, int rows);

    /** Training-mode outputs of the policy head and the value head. */
    record Outputs(float[] policyOutputs, float[] values) {
    }

    /** The actor's last hidden activations of the last {@link #forward}, row-major. */
    float[] lastLatent();

    /**
     * Back-propagates d(loss)/d(policy outputs) and d(loss)/d(values) of the last {@link #forward}
     * and keeps the gradients until {@link #step}.
     */
    SquaredNorms backward(double[] policyOutputGradient, double[] valueGradient, int rows);

    /** The squared gradient norms of the actor's and the critic's parameters (0 for a shared network's critic). */
    record SquaredNorms(double actor, double critic) {
    }

    /** One Adam step on the pending gradients, scaled by {@code gradientScale} (global norm clipping). */
    void step(double gradientScale);

    /** Training-mode values alone, for a value-only step. */
    float[] forwardValues(float[] observations, int rows);

    /** A value-only step after {@link #forwardValues}, clipped on its own; returns the norm before clipping. */
    double stepValues(double[] valueGradient, int rows, double maxGradNorm);

    /** The optimizer's rates (and a shared network's group epsilons), every rate times {@code scale} (the schedule). */
    void setLearningRates(PpoConfig.Optimizer optimizer, double scale);

    /** PopArt: makes the value output {@code scale * V + shift} from now on (the value head's weights and bias). */
    void rescaleValueHead(double scale, double shift);

    boolean parametersFinite();

    /** Trains the critic on this thread from now on (null: on the caller's); no-op for a shared network. */
    void trainCriticOn(ExecutorService criticThread);

    /** The critic network's model bytes, or null when the critic is the actor's value head. */
    byte[] criticBytes();

    /** Gradient-norm clipping as PyTorch's clip_grad_norm_: the factor the gradient is multiplied by. */
    static double clipScale(double norm, double maxGradNorm) {
        return norm > maxGradNorm ? maxGradNorm / (norm + 1e-6) : 1.0;
    }

    /** Columns {@code [from, from + count)} of a row-major matrix {@code width} wide. */
    static float[] columns(float[] matrix, int rows, int width, int from, int count) {
        float[] result = new float[rows * count];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(matrix, r * width + from, result, r * count, count);
        }
        return result;
    }
}

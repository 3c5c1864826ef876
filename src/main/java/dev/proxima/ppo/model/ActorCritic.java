package dev.proxima.ppo.model;

import dev.proxima.env.BoxSpace;
import dev.proxima.env.HybridSpace;
import dev.proxima.env.Space;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.ppo.distribution.ActionDistribution;
import dev.proxima.ppo.distribution.ActionDistributions;
import dev.proxima.ppo.distribution.GaussianParameters;
import dev.proxima.ppo.distribution.StateDependentNoiseDistribution;
import java.util.concurrent.ExecutorService;
import java.util.random.RandomGenerator;

/**
 * SB3's ActorCriticPolicy: the {@link ActorCriticNetworks} (separate or shared) estimate the
 * policy outputs and V(s), the {@link PolicyHead} turns the policy outputs into the action
 * distribution's parameters (directly, or through gSDE's state-dependent noise), and this class
 * acts with them and takes training steps. Gradient-norm clipping is global over every
 * parameter, as SB3 clips all of the policy's parameters at once. A Gaussian policy's log-std
 * is, per {@code logStd}: a learned state-independent vector, a fixed (scheduled) value, a
 * network head, or gSDE's state-dependent noise.
 */
public final class ActorCritic {

    private final ActorCriticNetworks networks;
    private final PolicyHead head;
    /** Whether the log-std outputs are held at a given value (logStd fixed) rather than learned. */
    private final boolean fixedLogStd;
    private final Space actionSpace;
    private final ActionDistribution distribution;
    /** normalizeValue: the critic outputs normalised values (PopArt); null when it outputs values. */
    private final ValueNormalizer valueNormalizer;

    ActorCritic(ActorCriticNetworks networks, PolicyHead head, boolean fixedLogStd, Space actionSpace,
            ValueNormalizer valueNormalizer) {
        this.networks = networks;
        this.head = head;
        this.fixedLogStd = fixedLogStd;
        this.actionSpace = actionSpace;
        this.distribution = ActionDistributions.forSpace(actionSpace);
        this.valueNormalizer = valueNormalizer;
    }

    /** Networks initialised as the configuration says (orthogonally by default, SB3's gains). */
    public static ActorCritic create(int observationSize, Space actionSpace, PpoConfig config, long seed) {
        return ActorCriticFactory.create(observationSize, actionSpace, config, seed);
    }

    public Space actionSpace() {
        return actionSpace;
    }

    public ActionDistribution distribution() {
        return distribution;
    }

    public int observationSize() {
        return networks.observationSize();
    }

    // ---- acting

    /**
     * Actions for {@code rows} observations as the environment takes them: the distribution's
     * mode or a sample, among the legal actions when {@code masks} (one per row) are given,
     * clipped into a Box space's bounds. Row-major, {@code actionSize} per row.
     */
    public double[] act(float[] observations, int rows, boolean[][] masks, boolean deterministic,
            RandomGenerator random) {
        return actWithDetails(observations, rows, masks, deterministic, random, false).actions();
    }

    /**
     * What acting produced: the actions, the log-probability of each action as drawn (before
     * any clipping), the (masked) distribution parameters and, when asked, V(s).
     */
    public record Acted(double[] actions, double[] logProbs, float[] params, float[] values) {
    }

    /**
     * As {@link #act}, with details. Under gSDE a sample here is drawn from the Gaussian the
     * noise matrices induce for each observation, since a served policy has no exploration episode.
     */
    public Acted actWithDetails(float[] observations, int rows, boolean[][] masks, boolean deterministic,
            RandomGenerator random, boolean withValues) {
        float[] params = policyParameters(observations, rows);
        Acted acted = draw(params, null, rows, masks, deterministic ? Draw.MODE : Draw.SAMPLE, random);
        for (int r = 0; r < rows; r++) {
            clipToSpace(acted.actions(), r * distribution.actionSize());
        }
        return withValues ? new Acted(acted.actions(), acted.logProbs(), params, values(observations, rows)) : acted;
    }

    /**
     * Exploration during a rollout: row e is environment e's observation. Actions are unclipped
     * (the caller clips what it hands the environment). Under gSDE the noise is latent(s) times
     * the environment's current exploration matrix ({@link #resetNoise}).
     */
    public Acted explore(float[] observations, int rows, boolean[][] masks, RandomGenerator random) {
        Inference inference = infer(observations, rows);
        return draw(inference.params(), inference.latent(), rows, masks, Draw.EXPLORE, random);
    }

    private enum Draw { MODE, SAMPLE, EXPLORE }

    private Acted draw(float[] params, float[] latent, int rows, boolean[][] masks, Draw how, RandomGenerator random) {
        int paramSize = distribution.paramSize();
        int actionSize = distribution.actionSize();
        double[] actions = new double[rows * actionSize];
        double[] logProbs = new double[rows];
        for (int r = 0; r < rows; r++) {
            if (masks != null) {
                distribution.applyMask(params, r * paramSize, masks[r], 0);
            }
            switch (how) {
                case MODE -> distribution.mode(params, r * paramSize, actions, r * actionSize);
                case SAMPLE -> distribution.sample(params, r * paramSize, random, actions, r * actionSize);
                case EXPLORE -> head.explore(distribution, params, r, latent, random, actions);
            }
            logProbs[r] = distribution.logProb(params, r * paramSize, actions, r * actionSize);
        }
        return new Acted(actions, logProbs, params, null);
    }

    /**
     * Clips the action at {@code offset} into the action space, in place: a Box action, or a
     * hybrid action's parameters. What the environment gets; log-probabilities are of the unclipped action.
     */
    public void clipToSpace(double[] actions, int offset) {
        if (actionSpace instanceof BoxSpace box) {
            box.clip(actions, offset);
        } else if (actionSpace instanceof HybridSpace hybrid) {
            hybrid.clip(actions, offset);
        }
    }

    /** gSDE: draws new exploration matrices for {@code envs} environments (no-op without gSDE). */
    public void resetNoise(int envs, RandomGenerator random) {
        head.resetNoise(envs, random);
    }

    public boolean usesSde() {
        return head instanceof StateDependentNoiseHead;
    }

    /** logStd fixed: sets the log-std every observation gets (the trainer's schedule). */
    public void setFixedLogStd(double logStd) {
        if (!fixedLogStd) {
            throw new IllegalStateException("the log-std is learned, not fixed");
        }
        GaussianParameters gaussian = (GaussianParameters) distribution;
        networks.actor().setBiases(gaussian.logStdFrom(), gaussian.logStdFrom() + gaussian.gaussianDimensions(), logStd);
    }

    public boolean hasFixedLogStd() {
        return fixedLogStd;
    }

    /** SB3's train/std: the mean standard deviation, over the gSDE matrix or the dimensions of one observation. */
    public double meanStd(float[] observation) {
        return head.meanStd(() -> policyParameters(observation, 1));
    }

    // ---- inference

    /** The action distribution's parameters for {@code batch} observations (row-major). */
    public float[] policyParameters(float[] observations, int batch) {
        return InferenceChunks.map(observations, batch, observationSize(), distribution.paramSize(),
                (chunk, rows) -> infer(chunk, rows).params());
    }

    /** V(s) of {@code batch} observations, in the rewards' units (de-normalised under normalizeValue). */
    public float[] values(float[] observations, int batch) {
        float[] values = InferenceChunks.map(observations, batch, observationSize(), 1, networks::values);
        if (valueNormalizer != null) {
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) valueNormalizer.denormalize(values[i]);
            }
        }
        return values;
    }

    /** The value targets' statistics the critic's outputs are normalised with; null without normalizeValue. */
    public ValueNormalizer valueNormalizer() {
        return valueNormalizer;
    }

    /**
     * normalizeValue: merges a rollout's value targets into the statistics, rescaling the value
     * head so that {@link #values} stay as they were (PopArt). Call between updates only.
     */
    public void updateValueStatistics(double[] targets) {
        valueNormalizer.update(targets, networks);
    }

    /** Distribution parameters of one chunk, with the latent features when the head reads them. */
    private record Inference(float[] params, float[] latent) {
    }

    private Inference infer(float[] observations, int rows) {
        if (head.needsLatent()) {
            float[][] outputsAndLatent = networks.policyOutputsWithLatent(observations, rows);
            return new Inference(head.parameters(outputsAndLatent[0], () -> outputsAndLatent[1], rows),
                    outputsAndLatent[1]);
        }
        return new Inference(head.parameters(networks.policyOutputs(observations, rows), null, rows), null);
    }

    // ---- training

    /**
     * Trains the critic on its own thread from now on (null: on the caller's). The two networks
     * share nothing, so their forward and backward passes overlap; only the global gradient
     * norm joins them. The results are bit-identical either way.
     */
    public void trainCriticOn(ExecutorService criticThread) {
        networks.trainCriticOn(criticThread);
    }

    /**
     * Training-mode outputs of both networks for one minibatch; under normalizeValue the values
     * are the critic's normalised outputs, which the loss compares with normalised targets.
     */
    public record Outputs(float[] policyParameters, float[] values) {
    }

    public Outputs forward(float[] observations, int batch) {
        ActorCriticNetworks.Outputs outputs = networks.forward(observations, batch);
        return new Outputs(head.parameters(outputs.policyOutputs(), networks::lastLatent, batch), outputs.values());
    }

    /**
     * Back-propagates the loss gradients with respect to the distribution parameters and the
     * values of the last {@link #forward}, clips the global gradient norm to {@code maxGradNorm}
     * and takes one Adam step. Returns the norm before clipping.
     */
    public double step(double[] policyParameterGradient, double[] valueGradient, int batch, double maxGradNorm) {
        ActorCriticNetworks.SquaredNorms networkNorms = networks.backward(
                head.policyOutputGradient(policyParameterGradient, batch), valueGradient, batch);
        double headNorm = head.backward(policyParameterGradient, networks::lastLatent, batch);
        // summed in this order, (actor + head) + critic, as the run this replaced did
        double norm = Math.sqrt(networkNorms.actor() + headNorm + networkNorms.critic());
        double scale = ActorCriticNetworks.clipScale(norm, maxGradNorm);
        networks.step(scale);
        head.step(scale);
        return norm;
    }

    public float[] forwardValues(float[] observations, int batch) {
        return networks.forwardValues(observations, batch);
    }

    /** A value-only step after {@link #forwardValues}, its gradient norm clipped on its own. Returns the norm before clipping. */
    public double stepCritic(double[] valueGradient, int batch, double maxGradNorm) {
        return networks.stepValues(valueGradient, batch, maxGradNorm);
    }

    /**
     * The optimizer's rates, each times {@code scale} (the learning-rate schedule): the actor's and
     * the critic's, or a shared network's trunk and heads. gSDE's parameters go with the policy.
     */
    public void setLearningRates(PpoConfig.Optimizer optimizer, double scale) {
        networks.setLearningRates(optimizer, scale);
        head.setLearningRate(optimizer.policyLearningRate() * scale);
    }

    public boolean parametersFinite() {
        return networks.parametersFinite() && head.parametersFinite();
    }

    // ---- saving

    /**
     * The model as bytes, for a policy archive: the networks with their Adam state, gSDE's
     * parameters, and what rebuilding needs. {@code critic} and {@code sde} are null when absent
     * (a shared network, no gSDE); {@code stateIndependentFrom/To} are -1 when no actor output is
     * state-independent.
     */
    public record Saved(byte[] actor, int stateIndependentFrom, int stateIndependentTo, boolean fixedLogStd,
            byte[] critic, byte[] sde, Space actionSpace, ValueNormalizer valueNormalizer) {
    }

    public Saved save() {
        Mlp actor = networks.actor();
        byte[] sde = head instanceof StateDependentNoiseHead noiseHead ? noiseHead.noise().toBytes() : null;
        return new Saved(actor.toBytes(), actor.stateIndependentFrom(), actor.stateIndependentTo(), fixedLogStd,
                networks.criticBytes(), sde, actionSpace,
                valueNormalizer == null ? null : ValueNormalizer.restore(valueNormalizer.mean(),
                        valueNormalizer.variance(), valueNormalizer.count()));
    }

    /** The model {@link #save} saved; without the optimizer state, Adam starts afresh (serving). */
    public static ActorCritic load(Saved saved, boolean withOptimizerState) {
        Mlp actor = Mlp.fromBytes(saved.actor(), saved.stateIndependentFrom(), saved.stateIndependentTo(),
                withOptimizerState);
        ActorCriticNetworks networks = saved.critic() == null ? new SharedNetwork(actor)
                : new SeparateNetworks(actor, Mlp.fromBytes(saved.critic(), -1, -1, withOptimizerState));
        ActionDistribution distribution = ActionDistributions.forSpace(saved.actionSpace());
        PolicyHead head = saved.sde() == null ? new DirectHead(distribution, saved.fixedLogStd())
                : new StateDependentNoiseHead(StateDependentNoiseDistribution.fromBytes(saved.sde(),
                        withOptimizerState), distribution.actionSize());
        return new ActorCritic(networks, head, saved.fixedLogStd(), saved.actionSpace(), saved.valueNormalizer());
    }
}

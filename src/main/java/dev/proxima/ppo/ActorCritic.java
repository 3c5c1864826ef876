package dev.proxima.ppo;

import dev.proxima.ppo.distribution.ActionDistribution;
import dev.proxima.env.BoxSpace;
import dev.proxima.env.Space;
import dev.proxima.ppo.distribution.ActionDistributions;
import dev.proxima.ppo.distribution.DiagGaussian;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.random.RandomGenerator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * SB3's MlpPolicy: an actor network whose outputs parameterise the action distribution and a
 * critic network estimating V(s), either separate over the same observation or sharing one
 * trunk with two linear heads ({@code sharedNetwork}; then the value is the actor network's last
 * output and there is no critic network). A Gaussian policy's log-std is, per
 * {@code logStd}: a learned state-independent vector, a fixed (scheduled) value, a network head,
 * or gSDE's state-dependent noise. Gradient-norm clipping is global over every parameter, as SB3
 * clips all of the policy's parameters at once.
 */
public final class ActorCritic {

    private static final String FORMAT = "proxima-policy/1";

    private final Mlp actor;
    /** Null with a shared network. */
    private final Mlp critic;
    /** gSDE's exploration parameters; null unless useSde. */
    private final StateDependentNoise sde;
    /** Whether the log-std outputs are held at a given value (logStd fixed) rather than learned. */
    private final boolean fixedLogStd;
    private final Space actionSpace;
    private final ActionDistribution distribution;
    private ExecutorService criticThread;

    private ActorCritic(Mlp actor, Mlp critic, StateDependentNoise sde, boolean fixedLogStd, Space actionSpace) {
        this.actor = actor;
        this.critic = critic;
        this.sde = sde;
        this.fixedLogStd = fixedLogStd;
        this.actionSpace = actionSpace;
        this.distribution = ActionDistributions.forSpace(actionSpace);
    }

    /** Separate networks, SB3's defaults otherwise: for tests that vary a few settings. */
    public static ActorCritic create(int observationSize, Space actionSpace, NetworkConfig network,
            double learningRate, double logStdInit, long seed) {
        return create(observationSize, actionSpace, PpoConfig.builder().network(network).learningRate(learningRate)
                .logStdInit(logStdInit).build(), seed);
    }

    /** Networks initialised as the configuration says (orthogonally by default, SB3's gains). */
    public static ActorCritic create(int observationSize, Space actionSpace, PpoConfig config, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ActionDistribution distribution = ActionDistributions.forSpace(actionSpace);
        NetworkConfig network = config.network();
        boolean gaussian = distribution instanceof DiagGaussian;
        boolean useSde = gaussian && config.useSde();
        int d = gaussian ? ((DiagGaussian) distribution).dimensions() : 0;
        int policyOutputs = useSde ? d : distribution.paramSize();
        int[] heads = config.sharedNetwork() ? new int[] {policyOutputs, 1} : new int[] {policyOutputs};
        double[] gains = config.sharedNetwork() ? new double[] {0.01, 1.0} : new double[] {0.01};
        Mlp actor = Mlp.create(observationSize, network.hiddenSizes(), network.activation(), heads, gains,
                config.orthoInit(), config.actorLearningRate(), config.actorAdamEpsilon(), random);
        boolean fixed = false;
        if (gaussian && !useSde) {
            switch (config.logStd()) {
                case PpoConfig.LOG_STD_STATE_DEPENDENT -> actor.setBiases(d, 2 * d, config.logStdInit());
                case PpoConfig.LOG_STD_FIXED -> {
                    actor.makeStateIndependent(d, 2 * d, config.logStdInit());
                    fixed = true;
                }
                default -> actor.makeStateIndependent(d, 2 * d, config.logStdInit());
            }
        }
        Mlp critic = config.sharedNetwork() ? null : Mlp.create(observationSize, network.hiddenSizes(),
                network.activation(), new int[] {1}, new double[] {1.0}, config.orthoInit(),
                config.criticLearningRate(), config.criticAdamEpsilon(), random);
        StateDependentNoise sde = useSde ? StateDependentNoise.create(actor.lastHiddenSize(), d, config.logStdInit(),
                config.actorLearningRate(), config.actorAdamEpsilon()) : null;
        return new ActorCritic(actor, critic, sde, fixed, actionSpace);
    }

    public Space actionSpace() {
        return actionSpace;
    }

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
        Acted acted = draw(params, null, rows, masks, deterministic, random);
        if (actionSpace instanceof BoxSpace box) {
            for (int r = 0; r < rows; r++) {
                box.clip(acted.actions(), r * distribution.actionSize());
            }
        }
        return withValues ? new Acted(acted.actions(), acted.logProbs(), params, values(observations, rows)) : acted;
    }

    /**
     * Exploration during a rollout: row e is environment e's observation. Actions are unclipped
     * (the caller clips what it hands the environment). Under gSDE the noise is latent(s) times
     * the environment's current exploration matrix ({@link #resetNoise}).
     */
    Acted explore(float[] observations, int rows, boolean[][] masks, RandomGenerator random) {
        if (sde == null) {
            return draw(policyParameters(observations, rows), null, rows, masks, false, random);
        }
        float[][] outputsAndLatent = actor.outputWithHidden(observations, rows);
        float[] params = sde.parameters(outputsAndLatent[0], actor.outputSize(), outputsAndLatent[1], rows);
        return draw(params, outputsAndLatent[1], rows, masks, false, random);
    }

    private Acted draw(float[] params, float[] sdeLatent, int rows, boolean[][] masks, boolean deterministic,
            RandomGenerator random) {
        int paramSize = distribution.paramSize();
        int actionSize = distribution.actionSize();
        double[] actions = new double[rows * actionSize];
        double[] logProbs = new double[rows];
        for (int r = 0; r < rows; r++) {
            if (masks != null) {
                distribution.applyMask(params, r * paramSize, masks[r], 0);
            }
            if (deterministic || sdeLatent != null) {
                distribution.mode(params, r * paramSize, actions, r * actionSize);
                if (sdeLatent != null) {
                    sde.addNoise(sdeLatent, r, r, actions, r * actionSize);
                }
            } else {
                distribution.sample(params, r * paramSize, random, actions, r * actionSize);
            }
            logProbs[r] = distribution.logProb(params, r * paramSize, actions, r * actionSize);
        }
        return new Acted(actions, logProbs, params, null);
    }

    /** gSDE: draws new exploration matrices for {@code envs} environments (no-op without gSDE). */
    void resetNoise(int envs, RandomGenerator random) {
        if (sde != null) {
            sde.resetNoise(envs, random);
        }
    }

    boolean usesSde() {
        return sde != null;
    }

    /** logStd fixed: sets the log-std every observation gets (the trainer's schedule). */
    void setFixedLogStd(double logStd) {
        if (!fixedLogStd) {
            throw new IllegalStateException("the log-std is learned, not fixed");
        }
        int d = distribution.actionSize();
        actor.setBiases(d, 2 * d, logStd);
    }

    boolean hasFixedLogStd() {
        return fixedLogStd;
    }

    /** SB3's train/std: the mean standard deviation, over the gSDE matrix or the dimensions of one observation. */
    double meanStd(float[] observation) {
        if (sde != null) {
            return sde.meanStd();
        }
        int d = distribution.actionSize();
        float[] params = policyParameters(observation, 1);
        double total = 0;
        for (int j = 0; j < d; j++) {
            total += Math.exp(params[d + j]);
        }
        return total / d;
    }

    public ActionDistribution distribution() {
        return distribution;
    }

    public int observationSize() {
        return actor.inputSize();
    }

    /** The action distribution's parameters for {@code batch} observations (row-major). */
    public float[] policyParameters(float[] observations, int batch) {
        int paramSize = distribution.paramSize();
        return inChunks(observations, batch, paramSize, (chunk, rows) -> {
            if (sde != null) {
                float[][] outputsAndLatent = actor.outputWithHidden(chunk, rows);
                return sde.parameters(outputsAndLatent[0], actor.outputSize(), outputsAndLatent[1], rows);
            }
            float[] outputs = actor.output(chunk, rows);
            return critic == null ? columns(outputs, rows, actor.outputSize(), 0, paramSize) : outputs;
        });
    }

    public float[] values(float[] observations, int batch) {
        if (critic == null) {
            int width = actor.outputSize();
            return inChunks(observations, batch, 1,
                    (chunk, rows) -> columns(actor.output(chunk, rows), rows, width, width - 1, 1));
        }
        return inChunks(observations, batch, 1, critic::output);
    }

    /** Columns {@code [from, from + count)} of a row-major matrix {@code width} wide. */
    private static float[] columns(float[] matrix, int rows, int width, int from, int count) {
        float[] result = new float[rows * count];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(matrix, r * width + from, result, r * count, count);
        }
        return result;
    }

    /** Inference in chunks of at most this many rows, so that a whole rollout never sits in one activation array. */
    static final int INFERENCE_CHUNK = 4096;

    private float[] inChunks(float[] inputs, int rows, int outputSize, BiFunction<float[], Integer, float[]> network) {
        if (rows <= INFERENCE_CHUNK) {
            return network.apply(inputs, rows);
        }
        int inputSize = actor.inputSize();
        float[] outputs = new float[rows * outputSize];
        for (int from = 0; from < rows; from += INFERENCE_CHUNK) {
            int count = Math.min(INFERENCE_CHUNK, rows - from);
            float[] chunk = Arrays.copyOfRange(inputs, from * inputSize, (from + count) * inputSize);
            System.arraycopy(network.apply(chunk, count), 0, outputs, from * outputSize, count * outputSize);
        }
        return outputs;
    }

    /**
     * Trains the critic on its own thread from now on (null: on the caller's). The two networks
     * share nothing, so their forward and backward passes overlap; only the global gradient
     * norm joins them. The results are bit-identical either way.
     */
    void trainCriticOn(ExecutorService criticThread) {
        this.criticThread = criticThread;
    }

    /** Training-mode outputs of both networks for one minibatch. */
    record Outputs(float[] policyParameters, float[] values) {
    }

    Outputs forward(float[] observations, int batch) {
        if (critic == null) {
            float[] outputs = actor.forward(observations, batch);
            int width = actor.outputSize();
            return new Outputs(policyParametersOf(outputs, batch), columns(outputs, batch, width, width - 1, 1));
        }
        Future<float[]> values = onCriticThread(() -> critic.forward(observations, batch));
        float[] policyParameters = policyParametersOf(actor.forward(observations, batch), batch);
        return new Outputs(policyParameters, join(values));
    }

    /** The distribution parameters from the actor's training-mode outputs. */
    private float[] policyParametersOf(float[] outputs, int batch) {
        if (sde != null) {
            return sde.parameters(outputs, actor.outputSize(), actor.lastHidden(), batch);
        }
        return critic == null ? columns(outputs, batch, actor.outputSize(), 0, distribution.paramSize()) : outputs;
    }

    /**
     * Back-propagates the loss gradients with respect to the distribution parameters and the
     * values of the last {@link #forward}, clips the global gradient norm to {@code maxGradNorm}
     * and takes one Adam step. Returns the norm before clipping.
     */
    double step(double[] policyParameterGradient, double[] valueGradient, int batch, double maxGradNorm) {
        if (critic == null) {
            double norm = Math.sqrt(backwardActor(policyParameterGradient, valueGradient, batch));
            stepActor(clipScale(norm, maxGradNorm));
            return norm;
        }
        Future<Double> criticSquaredNorm = onCriticThread(() -> critic.backward(valueGradient, batch));
        double squaredNorm = backwardActor(policyParameterGradient, null, batch) + join(criticSquaredNorm);
        double norm = Math.sqrt(squaredNorm);
        double scale = clipScale(norm, maxGradNorm);
        Future<Void> criticStep = onCriticThread(() -> {
            critic.step(scale);
            return null;
        });
        stepActor(scale);
        join(criticStep);
        return norm;
    }

    private static double clipScale(double norm, double maxGradNorm) {
        return norm > maxGradNorm ? maxGradNorm / (norm + 1e-6) : 1.0;
    }

    /**
     * Back-propagates into the actor network (and gSDE's log-std): its outputs are the policy
     * head (the distribution parameters, or gSDE's means) and, when shared, the value. Returns
     * the squared gradient norm.
     */
    private double backwardActor(double[] policyParameterGradient, double[] valueGradient, int batch) {
        int paramSize = distribution.paramSize();
        int width = actor.outputSize();
        // gSDE's actor outputs only the means; fixed log-std outputs get no gradient
        int learnedOutputs = sde != null || fixedLogStd ? distribution.actionSize() : paramSize;
        double[] outputGradient = new double[batch * width];
        for (int r = 0; r < batch; r++) {
            System.arraycopy(policyParameterGradient, r * paramSize, outputGradient, r * width, learnedOutputs);
            if (valueGradient != null) {
                outputGradient[r * width + width - 1] = valueGradient[r];
            }
        }
        double squaredNorm = actor.backward(outputGradient, batch);
        if (sde != null) {
            squaredNorm += sde.backward(policyParameterGradient, actor.lastHidden(), batch);
        }
        return squaredNorm;
    }

    private void stepActor(double scale) {
        actor.step(scale);
        if (sde != null) {
            sde.step(scale);
        }
    }

    float[] forwardValues(float[] observations, int batch) {
        return critic == null ? forward(observations, batch).values() : critic.forward(observations, batch);
    }

    /** A value-only step, its gradient norm clipped on its own. Returns the norm before clipping. */
    double stepCritic(double[] valueGradient, int batch, double maxGradNorm) {
        if (critic == null) {
            double norm = Math.sqrt(actor.backward(valueOnlyGradient(valueGradient, batch), batch));
            actor.step(clipScale(norm, maxGradNorm));
            return norm;
        }
        double norm = Math.sqrt(critic.backward(valueGradient, batch));
        critic.step(clipScale(norm, maxGradNorm));
        return norm;
    }

    private double[] valueOnlyGradient(double[] valueGradient, int batch) {
        int width = actor.outputSize();
        double[] outputGradient = new double[batch * width];
        for (int r = 0; r < batch; r++) {
            outputGradient[r * width + width - 1] = valueGradient[r];
        }
        return outputGradient;
    }

    private <T> Future<T> onCriticThread(Callable<T> work) {
        if (criticThread == null) {
            try {
                return CompletableFuture.completedFuture(work.call());
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return criticThread.submit(work);
    }

    private static <T> T join(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training the critic", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    void setLearningRates(double actorLearningRate, double criticLearningRate) {
        actor.setLearningRate(actorLearningRate);
        if (critic != null) {
            critic.setLearningRate(criticLearningRate);
        }
        if (sde != null) {
            sde.setLearningRate(actorLearningRate);
        }
    }

    boolean parametersFinite() {
        return actor.parametersFinite() && (critic == null || critic.parametersFinite())
                && (sde == null || sde.parametersFinite());
    }

    /** The networks with their Adam state and what is needed to rebuild the policy, as one zip. */
    byte[] toArchive(ObservationNormalizer normalizer) {
        return toArchive(normalizer, Map.of());
    }

    /** As {@link #toArchive(ObservationNormalizer)}, with further entries (a trainer's state). */
    byte[] toArchive(ObservationNormalizer normalizer, Map<String, byte[]> extraEntries) {
        Properties meta = new Properties();
        if (normalizer != null) {
            ObservationNormalizers.write(normalizer, meta);
        }
        meta.setProperty("format", FORMAT);
        meta.setProperty("stateIndependentFrom", Integer.toString(actor.stateIndependentFrom()));
        meta.setProperty("stateIndependentTo", Integer.toString(actor.stateIndependentTo()));
        meta.setProperty("fixedLogStd", Boolean.toString(fixedLogStd));
        ActionSpaces.write(actionSpace, meta);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            StringWriter text = new StringWriter();
            meta.store(text, null);
            put(zip, "policy.properties", text.toString().getBytes(StandardCharsets.UTF_8));
            put(zip, "actor.zip", actor.toBytes());
            if (critic != null) {
                put(zip, "critic.zip", critic.toBytes());
            }
            if (sde != null) {
                put(zip, "sde.bin", sde.toBytes());
            }
            for (Map.Entry<String, byte[]> entry : extraEntries.entrySet()) {
                put(zip, entry.getKey(), entry.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The entries of an archive by name. */
    static Map<String, byte[]> entries(byte[] archive) {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read policy archive", e);
        }
        return entries;
    }

    /** The model of a policy archive; {@code normalizer[0]} receives its observation normalizer, if any. */
    static ActorCritic fromArchive(byte[] archive, ObservationNormalizer[] normalizer, boolean withOptimizerState) {
        Map<String, byte[]> entries = entries(archive);
        try {
            Properties meta = new Properties();
            meta.load(new StringReader(new String(entries.get("policy.properties"), StandardCharsets.UTF_8)));
            if (!FORMAT.equals(meta.getProperty("format"))) {
                throw new IllegalArgumentException("not a policy archive: " + meta.getProperty("format"));
            }
            normalizer[0] = ObservationNormalizers.read(meta);
            int stateIndependentFrom = Integer.parseInt(meta.getProperty("stateIndependentFrom"));
            Mlp actor = Mlp.fromBytes(entries.get("actor.zip"), stateIndependentFrom,
                    Integer.parseInt(meta.getProperty("stateIndependentTo", "-1")), withOptimizerState);
            Mlp critic = entries.containsKey("critic.zip")
                    ? Mlp.fromBytes(entries.get("critic.zip"), -1, -1, withOptimizerState) : null;
            StateDependentNoise sde = entries.containsKey("sde.bin")
                    ? StateDependentNoise.fromBytes(entries.get("sde.bin"), withOptimizerState) : null;
            return new ActorCritic(actor, critic, sde, Boolean.parseBoolean(meta.getProperty("fixedLogStd")),
                    ActionSpaces.read(meta));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read policy archive", e);
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }
}

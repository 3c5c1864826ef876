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
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * SB3's MlpPolicy: separate actor and critic networks over the same observation. The actor
 * outputs the action distribution's parameters, the critic one state value. Gradient-norm
 * clipping is global over both networks, as SB3 clips all of the policy's parameters at once.
 */
public final class ActorCritic {

    private static final double ADAM_EPSILON = 1e-5;
    private static final String FORMAT = "proxima-policy/1";

    private final Mlp actor;
    private final Mlp critic;
    private final Space actionSpace;
    private final ActionDistribution distribution;
    private ExecutorService criticThread;

    private ActorCritic(Mlp actor, Mlp critic, Space actionSpace) {
        this.actor = actor;
        this.critic = critic;
        this.actionSpace = actionSpace;
        this.distribution = ActionDistributions.forSpace(actionSpace);
    }

    /**
     * Orthogonally initialised networks for the spaces. For a Box action space the actor's last
     * outputs are the Gaussian's log-std: state-independent, starting at {@code logStdInit}.
     */
    public static ActorCritic create(int observationSize, Space actionSpace, NetworkConfig network,
            double learningRate, double logStdInit, long seed) {
        return create(observationSize, actionSpace, network, learningRate, learningRate, ADAM_EPSILON, ADAM_EPSILON,
                logStdInit, seed);
    }

    /** With a learning rate and an Adam epsilon per network. */
    public static ActorCritic create(int observationSize, Space actionSpace, NetworkConfig network,
            double actorLearningRate, double criticLearningRate, double actorAdamEpsilon, double criticAdamEpsilon,
            double logStdInit, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ActionDistribution distribution = ActionDistributions.forSpace(actionSpace);
        Mlp actor = Mlp.create(observationSize, network.hiddenSizes(), network.activation(),
                distribution.paramSize(), 0.01, actorLearningRate, actorAdamEpsilon, random);
        if (distribution instanceof DiagGaussian gaussian) {
            actor.makeStateIndependent(gaussian.dimensions(), logStdInit);
        }
        Mlp critic = Mlp.create(observationSize, network.hiddenSizes(), network.activation(),
                1, 1.0, criticLearningRate, criticAdamEpsilon, random);
        return new ActorCritic(actor, critic, actionSpace);
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
     * What acting produced: the environment-ready actions, the log-probability of each action as
     * drawn (before any clipping), the (masked) distribution parameters and, when asked, V(s).
     */
    public record Acted(double[] actions, double[] logProbs, float[] params, float[] values) {
    }

    public Acted actWithDetails(float[] observations, int rows, boolean[][] masks, boolean deterministic,
            RandomGenerator random, boolean withValues) {
        float[] params = policyParameters(observations, rows);
        int paramSize = distribution.paramSize();
        int actionSize = distribution.actionSize();
        double[] actions = new double[rows * actionSize];
        double[] logProbs = new double[rows];
        for (int r = 0; r < rows; r++) {
            if (masks != null) {
                distribution.applyMask(params, r * paramSize, masks[r], 0);
            }
            if (deterministic) {
                distribution.mode(params, r * paramSize, actions, r * actionSize);
            } else {
                distribution.sample(params, r * paramSize, random, actions, r * actionSize);
            }
            logProbs[r] = distribution.logProb(params, r * paramSize, actions, r * actionSize);
            if (actionSpace instanceof BoxSpace box) {
                box.clip(actions, r * actionSize);
            }
        }
        return new Acted(actions, logProbs, params, withValues ? values(observations, rows) : null);
    }

    public ActionDistribution distribution() {
        return distribution;
    }

    public int observationSize() {
        return actor.inputSize();
    }

    /** The action distribution's parameters for {@code batch} observations (row-major). */
    public float[] policyParameters(float[] observations, int batch) {
        return inChunks(actor, observations, batch);
    }

    public float[] values(float[] observations, int batch) {
        return inChunks(critic, observations, batch);
    }

    /** Inference in chunks of at most this many rows, so that a whole rollout never sits in one activation array. */
    static final int INFERENCE_CHUNK = 4096;

    private static float[] inChunks(Mlp network, float[] inputs, int rows) {
        if (rows <= INFERENCE_CHUNK) {
            return network.output(inputs, rows);
        }
        int inputSize = network.inputSize();
        int outputSize = network.outputSize();
        float[] outputs = new float[rows * outputSize];
        for (int from = 0; from < rows; from += INFERENCE_CHUNK) {
            int count = Math.min(INFERENCE_CHUNK, rows - from);
            float[] chunk = java.util.Arrays.copyOfRange(inputs, from * inputSize, (from + count) * inputSize);
            System.arraycopy(network.output(chunk, count), 0, outputs, from * outputSize, count * outputSize);
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
        Future<float[]> values = onCriticThread(() -> critic.forward(observations, batch));
        float[] policyParameters = actor.forward(observations, batch);
        return new Outputs(policyParameters, join(values));
    }

    /**
     * Back-propagates the loss gradients with respect to both networks' outputs, clips the
     * global gradient norm to {@code maxGradNorm} and takes one Adam step. Returns the norm
     * before clipping.
     */
    double step(double[] policyOutputGradient, double[] valueOutputGradient, int batch, double maxGradNorm) {
        Future<Double> criticSquaredNorm = onCriticThread(() -> critic.backward(valueOutputGradient, batch));
        double squaredNorm = actor.backward(policyOutputGradient, batch) + join(criticSquaredNorm);
        double norm = Math.sqrt(squaredNorm);
        double scale = norm > maxGradNorm ? maxGradNorm / (norm + 1e-6) : 1.0;
        Future<Void> criticStep = onCriticThread(() -> {
            critic.step(scale);
            return null;
        });
        actor.step(scale);
        join(criticStep);
        return norm;
    }

    float[] forwardValues(float[] observations, int batch) {
        return critic.forward(observations, batch);
    }

    /** A critic-only step, its gradient norm clipped on its own. Returns the norm before clipping. */
    double stepCritic(double[] valueOutputGradient, int batch, double maxGradNorm) {
        double norm = Math.sqrt(critic.backward(valueOutputGradient, batch));
        critic.step(norm > maxGradNorm ? maxGradNorm / (norm + 1e-6) : 1.0);
        return norm;
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
        critic.setLearningRate(criticLearningRate);
    }

    boolean parametersFinite() {
        return actor.parametersFinite() && critic.parametersFinite();
    }

    /** Both networks with their Adam state and what is needed to rebuild the policy, as one zip. */
    byte[] toArchive(ObservationNormalizer normalizer) {
        Properties meta = new Properties();
        if (normalizer != null) {
            ObservationNormalizers.write(normalizer, meta);
        }
        meta.setProperty("format", FORMAT);
        meta.setProperty("stateIndependentFrom", Integer.toString(actor.stateIndependentFrom()));
        ActionSpaces.write(actionSpace, meta);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            StringWriter text = new StringWriter();
            meta.store(text, null);
            put(zip, "policy.properties", text.toString().getBytes(StandardCharsets.UTF_8));
            put(zip, "actor.zip", actor.toBytes());
            put(zip, "critic.zip", critic.toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The model of a policy archive; {@code normalizer[0]} receives its observation normalizer, if any. */
    static ActorCritic fromArchive(byte[] archive, ObservationNormalizer[] normalizer, boolean withOptimizerState) {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
            Properties meta = new Properties();
            meta.load(new StringReader(new String(entries.get("policy.properties"), StandardCharsets.UTF_8)));
            if (!FORMAT.equals(meta.getProperty("format"))) {
                throw new IllegalArgumentException("not a policy archive: " + meta.getProperty("format"));
            }
            normalizer[0] = ObservationNormalizers.read(meta);
            Mlp actor = Mlp.fromBytes(entries.get("actor.zip"), Integer.parseInt(meta.getProperty("stateIndependentFrom")),
                    withOptimizerState);
            Mlp critic = Mlp.fromBytes(entries.get("critic.zip"), -1, withOptimizerState);
            return new ActorCritic(actor, critic, ActionSpaces.read(meta));
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

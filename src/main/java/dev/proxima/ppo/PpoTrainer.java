package dev.proxima.ppo;

import dev.proxima.ppo.archive.PolicyArchive;
import dev.proxima.ppo.archive.TrainingState;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.ppo.config.Schedule;
import dev.proxima.ppo.distribution.GaussianParameters;
import dev.proxima.ppo.distribution.HybridDistribution;
import dev.proxima.ppo.model.ActorCritic;
import dev.proxima.ppo.rollout.EpisodeStats;
import dev.proxima.ppo.rollout.RolloutBuffer;
import dev.proxima.ppo.rollout.RolloutCollector;
import dev.proxima.ppo.update.PpoUpdater;
import dev.proxima.vecenv.VecEnv;
import dev.proxima.vecenv.VecNormalize;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * Proximal Policy Optimization (Schulman et al. 2017) as Stable-Baselines3 runs it: collect a
 * rollout, compute GAE advantages, update for several epochs, report, repeat until
 * {@code totalTimesteps}. Seeded: the same seed gives the same training run.
 */
public final class PpoTrainer {

    private final PpoConfig config;
    private final long seed;
    private final VecEnv env;
    private final ActorCritic model;
    private final RolloutBuffer buffer;
    private final RolloutCollector collector;
    private final PpoUpdater updater;
    private final Schedule learningRate;
    private final Schedule clipRange;
    private final Schedule entCoef;
    private final Schedule fixedLogStd;
    private long timesteps;
    private int iteration;
    /** Seconds of training so far, across resumptions. */
    private double elapsedSeconds;

    private final boolean criticThread;
    private boolean stoppedWithinIteration;
    /** While learning: when it started (System.nanoTime) and the training seconds before; 0 when not learning. */
    private volatile long learningSince;
    private volatile double elapsedBeforeLearning;
    private volatile long iterationStartedAt;

    /** A trainer that updates actor and critic side by side on two threads. */
    public PpoTrainer(PpoConfig config, VecEnv env, long seed) {
        this(config, env, seed, true);
    }

    /**
     * @param criticThread whether the critic trains on a thread of its own, next to the
     *     actor's (worth it with a free core: the networks share nothing but the gradient norm)
     */
    public PpoTrainer(PpoConfig config, VecEnv env, long seed, boolean criticThread) {
        this(config, env, seed, criticThread, null);
    }

    /**
     * Continues the run a checkpoint ({@link Policy#toArchive} of an {@link IterationReport}'s
     * policy) was taken from, with the same configuration, environment and seed: networks, Adam
     * state, normalisers, schedules, counters and random streams carry on. The environments
     * start new episodes (seeded from the seed and the iteration), since their mid-episode state
     * is not in the checkpoint. {@code criticThread} as for a new trainer; it does not change the
     * results.
     */
    public static PpoTrainer resume(PpoConfig config, VecEnv env, long seed, byte[] checkpoint, boolean criticThread) {
        if (!canResumeFrom(checkpoint)) {
            throw new IllegalArgumentException("the archive holds a policy but no training state");
        }
        return new PpoTrainer(config, env, seed, criticThread, checkpoint);
    }

    /** Whether an archive is a training checkpoint {@link #resume} can continue (not a bare policy). */
    public static boolean canResumeFrom(byte[] archive) {
        return PolicyArchive.hasTrainingState(archive);
    }

    private PpoTrainer(PpoConfig config, VecEnv env, long seed, boolean criticThread, byte[] checkpoint) {
        this.criticThread = criticThread;
        config.validateFor(env.size(), env.spec().actionSpace());
        this.config = config;
        this.seed = seed;
        this.env = config.normalization().observations() || config.normalization().reward()
                ? new VecNormalize(env, config.normalization().observations(), config.normalization().reward(), 10.0, 10.0,
                        config.rollout().gamma())
                : env;
        int observationSize = env.spec().observationSpace().flatSize();
        this.updater = new PpoUpdater(config);
        PolicyArchive.Contents saved = checkpoint == null ? null : PolicyArchive.read(checkpoint, true);
        if (saved == null) {
            this.model = ActorCritic.create(observationSize, env.spec().actionSpace(), config,
                    new SplittableRandom(seed).nextLong());
            this.collector = new RolloutCollector(this.env, seed, config.model().sdeSampleFreq());
        } else {
            TrainingState state = saved.trainingState();
            this.model = saved.model();
            if (this.env instanceof VecNormalize normalize) {
                normalize.restore(saved.normalizer(), state.returnStats());
            }
            this.collector = new RolloutCollector(this.env, iterationRandom(state.iteration()).nextLong(),
                    config.model().sdeSampleFreq());
            this.timesteps = state.timesteps();
            this.iteration = state.iteration();
            this.elapsedSeconds = state.elapsedSeconds();
            updater.restore(state.updates(), state.klBeta());
            state.recentEpisodes().forEach(collector.episodes()::add);
        }
        this.buffer = new RolloutBuffer(config.rollout().nSteps(), env.size(), observationSize,
                model.distribution().actionSize(), model.distribution().paramSize(),
                collector.masked() ? model.distribution().maskSize() : 0);
        this.learningRate = config.learningRateOverTraining();
        this.clipRange = config.clipRangeOverTraining();
        this.entCoef = config.entCoefOverTraining();
        this.fixedLogStd = config.fixedLogStdOverTraining();
    }

    /**
     * The random stream of one iteration (actions, gSDE noise, minibatch order), a function of
     * the seed and the iteration alone, so that a resumed run draws what the original would have.
     */
    private SplittableRandom iterationRandom(int iteration) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (iteration + 1L)));
    }

    public ActorCritic model() {
        return model;
    }

    /** SB3's train/std, taken at the rollout's first observation where the std depends on it. */
    private double meanStd() {
        return model.meanStd(probeObservation());
    }

    private float[] probeObservation() {
        return Arrays.copyOf(buffer.observations(), buffer.observationSize());
    }

    /** The policy as it stands, with the observation normalisation training applies and the state to resume from. */
    public Policy policy() {
        VecNormalize normalize = env instanceof VecNormalize wrapper ? wrapper : null;
        TrainingState state = new TrainingState(timesteps, iteration, elapsedSeconds, updater.updates(),
                updater.klBeta(), normalize == null ? null : normalize.returnStats(), collector.episodes().recent());
        return new Policy(model, normalize == null ? null : normalize.observationNormalizer(), state);
    }

    public long timesteps() {
        return timesteps;
    }

    public int iteration() {
        return iteration;
    }

    /** Trains until {@code totalTimesteps} environment steps or until the listener says stop. */
    public void learn(long totalTimesteps, TrainingListener listener) {
        learn(totalTimesteps, listener, () -> false);
    }

    /**
     * As {@link #learn(long, TrainingListener)}, and {@code stopNow} is checked before every
     * environment step and every minibatch: when it says true, the iteration in progress is
     * abandoned and this returns with {@link #stoppedWithinIteration()} true. The model may then
     * hold part of that iteration's update: the last reported policy is the one to keep.
     */
    public void learn(long totalTimesteps, TrainingListener listener, BooleanSupplier stopNow) {
        collector.stopWhen(stopNow);
        updater.stopWhen(stopNow);
        stoppedWithinIteration = false;
        try {
            learnOnThreads(totalTimesteps, listener);
        } catch (TrainingStoppedException e) {
            stoppedWithinIteration = true;
        } finally {
            collector.stopWhen(() -> false);
            updater.stopWhen(() -> false);
        }
    }

    /** Whether the last {@link #learn} ended inside an iteration, on its stop check. */
    public boolean stoppedWithinIteration() {
        return stoppedWithinIteration;
    }

    /** Seconds since the iteration in progress started (0 when not learning). */
    public double secondsIntoIteration() {
        return learningSince == 0 ? 0 : (System.nanoTime() - iterationStartedAt) / 1e9;
    }

    /** Seconds of training so far, across resumptions, counting the iteration in progress. */
    public double elapsedSeconds() {
        long started = learningSince;
        return started == 0 ? elapsedSeconds : elapsedBeforeLearning + (System.nanoTime() - started) / 1e9;
    }

    private void learnOnThreads(long totalTimesteps, TrainingListener listener) {
        ExecutorService critic = criticThread ? Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, Thread.currentThread().getName() + "-critic");
            thread.setDaemon(true);
            return thread;
        }) : null;
        model.trainCriticOn(critic);
        try {
            learnUntil(totalTimesteps, listener);
        } finally {
            learningSince = 0;
            model.trainCriticOn(null);
            if (critic != null) {
                critic.shutdownNow();
            }
        }
    }

    private void learnUntil(long totalTimesteps, TrainingListener listener) {
        long start = System.nanoTime();
        long startTimesteps = timesteps;
        double elapsedBefore = elapsedSeconds;
        elapsedBeforeLearning = elapsedBefore;
        learningSince = start;
        boolean keepGoing = true;
        while (timesteps < totalTimesteps && keepGoing) {
            if (model.hasFixedLogStd()) {
                model.setFixedLogStd(fixedLogStd.valueAt(1.0 - (double) timesteps / totalTimesteps));
            }
            iterationStartedAt = System.nanoTime();
            SplittableRandom random = iterationRandom(iteration);
            collector.collect(model, buffer, config.rollout().gamma(), config.rollout().gaeLambda(), random.split(), iteration + 1);
            timesteps += buffer.size();
            // as SB3, time/fps is measured when the rollout is in, before this iteration's update
            double collectedAfter = (System.nanoTime() - start) / 1e9;
            iteration++;
            double progressRemaining = 1.0 - (double) timesteps / totalTimesteps;
            double currentLearningRate = learningRate.valueAt(progressRemaining);
            double currentClipRange = clipRange.valueAt(progressRemaining);
            double currentEntCoef = entCoef.valueAt(progressRemaining);
            // the schedule scales each network's own rate as it scales learningRate
            double scale = currentLearningRate / config.optimizer().learningRate();
            PpoUpdater.Stats stats = updater.update(model, buffer, scale, currentClipRange, currentEntCoef, iteration,
                    random.split());

            elapsedSeconds = elapsedBefore + (System.nanoTime() - start) / 1e9;
            Map<String, Double> metrics = new LinkedHashMap<>();
            EpisodeStats episodes = collector.episodes();
            if (!episodes.isEmpty()) {
                metrics.put(Metrics.EP_REW_MEAN, episodes.meanReturn());
                metrics.put(Metrics.EP_LEN_MEAN, episodes.meanLength());
            }
            metrics.put(Metrics.POLICY_GRADIENT_LOSS, stats.policyGradientLoss());
            metrics.put(Metrics.VALUE_LOSS, stats.valueLoss());
            metrics.put(Metrics.ENTROPY_LOSS, stats.entropyLoss());
            metrics.put(Metrics.APPROX_KL, stats.approxKl());
            metrics.put(Metrics.CLIP_FRACTION, stats.clipFraction());
            metrics.put(Metrics.CLIP_RANGE, currentClipRange);
            metrics.put(Metrics.ENT_COEF, currentEntCoef);
            if (stats.klBeta() != null) {
                metrics.put(Metrics.KL_BETA, stats.klBeta());
            }
            metrics.put(Metrics.LOSS, stats.loss());
            metrics.put(Metrics.EXPLAINED_VARIANCE, stats.explainedVariance());
            if (model.valueNormalizer() != null) {
                metrics.put(Metrics.VALUE_NORM_MEAN, model.valueNormalizer().mean());
                metrics.put(Metrics.VALUE_NORM_STD, model.valueNormalizer().std());
            }
            metrics.putAll(stats.headMetrics());
            if (model.distribution() instanceof GaussianParameters gaussian) {
                metrics.put(Metrics.STD, meanStd());
                if (gaussian instanceof HybridDistribution) {
                    double[] std = gaussian.std(model.policyParameters(probeObservation(), 1), 0);
                    for (int j = 0; j < std.length; j++) {
                        metrics.put(Metrics.stdOf(j), std[j]);
                    }
                }
            }
            metrics.put(Metrics.LEARNING_RATE, currentLearningRate);
            PpoConfig.Layers layers = config.optimizer().layers();
            if (layers != null && layers.differ()) {
                metrics.put(Metrics.TRUNK_LEARNING_RATE, layers.trunkLearningRate() * scale);
                metrics.put(Metrics.POLICY_HEAD_LEARNING_RATE, layers.policyHeadLearningRate() * scale);
                metrics.put(Metrics.VALUE_HEAD_LEARNING_RATE, layers.valueHeadLearningRate() * scale);
            } else if (layers == null
                    && config.optimizer().actorLearningRate() != config.optimizer().criticLearningRate()) {
                metrics.put(Metrics.ACTOR_LEARNING_RATE, config.optimizer().actorLearningRate() * scale);
                metrics.put(Metrics.CRITIC_LEARNING_RATE, config.optimizer().criticLearningRate() * scale);
            }
            metrics.put(Metrics.N_UPDATES, (double) stats.updates());
            metrics.put(Metrics.FPS, Math.floor((timesteps - startTimesteps) / collectedAfter));
            metrics.put(Metrics.ITERATIONS, (double) iteration);
            metrics.put(Metrics.TIME_ELAPSED, Math.floor(elapsedBefore + collectedAfter));
            metrics.put(Metrics.TOTAL_TIMESTEPS, (double) timesteps);
            keepGoing = listener.onIteration(new IterationReport(iteration, timesteps, elapsedSeconds, metrics, policy()));
        }
    }
}

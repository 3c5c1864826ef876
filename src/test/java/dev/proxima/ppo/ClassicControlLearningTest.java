package dev.proxima.ppo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxima.env.BoxSpace;
import dev.proxima.env.DiscreteSpace;
import dev.proxima.env.Environment;
import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.env.StepResult;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.support.LearningSeeds;
import dev.proxima.vecenv.SyncVecEnv;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Short, seeded versions of rl-zoo's runs: each must clearly beat a uniformly random policy, by
 * a margin that holds for every seed of scripts/learning-sweep.sh under both BLAS settings.
 * MountainCarContinuous is not among them: at rl-zoo's budget it finds the flag for some seeds
 * only, in Stable-Baselines3 as here (docs/BENCHMARKS.md).
 */
@Tag("learning")
class ClassicControlLearningTest {

    private static final EnvironmentRegistry REGISTRY = new EnvironmentRegistry();

    static LongStream seeds() {
        return LearningSeeds.orDefault(1);
    }

    @Test
    void randomPoliciesScoreFarBelowTheBars() {
        assertThat(randomPolicyReturn("Acrobot-v1", 10)).isLessThan(-400);
        assertThat(randomPolicyReturn("Pendulum-v1", 10)).isLessThan(-900);
        assertThat(randomPolicyReturn("MountainCar-v0", 5)).isEqualTo(-200);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void acrobotWithVecNormalizeLearnsToSwingUp(long seed) {
        PpoConfig zoo = PpoConfig.builder().normalizeObservations(true).normalizeReward(true).nSteps(256)
                .gaeLambda(0.94).gamma(0.99).nEpochs(4).build();
        double trained = train("Acrobot-v1", 16, zoo, 61_440, seed);
        assertThat(trained).isGreaterThan(-150);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void pendulumWithGaussianPolicyLearnsToBalance(long seed) {
        PpoConfig zoo = PpoConfig.builder().nSteps(1024).gaeLambda(0.95).gamma(0.9).nEpochs(10).learningRate(1e-3)
                .clipRange(0.2).build();
        double trained = train("Pendulum-v1", 4, zoo, 61_440, seed);
        assertThat(trained).isGreaterThan(randomPolicyReturn("Pendulum-v1", 10) + 400);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void pendulumWithGsdeLearnsToBalance(long seed) {
        PpoConfig zoo = PpoConfig.builder().nSteps(1024).gaeLambda(0.95).gamma(0.9).nEpochs(10).learningRate(1e-3)
                .clipRange(0.2).useSde(true).sdeSampleFreq(4).build();
        double trained = train("Pendulum-v1", 4, zoo, 61_440, seed);
        assertThat(trained).isGreaterThan(randomPolicyReturn("Pendulum-v1", 10) + 400);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void mountainCarWithVecNormalizeReachesTheFlag(long seed) {
        PpoConfig zoo = PpoConfig.builder().normalizeObservations(true).normalizeReward(true).nSteps(16)
                .gaeLambda(0.98).gamma(0.99).nEpochs(4).entCoef(0.0).build();
        PpoTrainer trainer = trainer("MountainCar-v0", 16, zoo, 200_000, seed);
        double trained = evaluate(trainer.policy(), "MountainCar-v0", 5);
        System.out.printf("MountainCar-v0 seed %d: trained %.1f%n", seed, trained);
        assertThat(trained).isGreaterThan(-180);
    }

    private static PpoTrainer trainer(String id, int numEnvs, PpoConfig config, long steps, long seed) {
        PpoTrainer trainer = new PpoTrainer(config, SyncVecEnv.of(REGISTRY, id, numEnvs), seed);
        trainer.learn(steps, report -> true);
        return trainer;
    }

    /** Mean return of deterministic episodes, the policy given raw observations. */
    private static double evaluate(Policy policy, String id, int episodes) {
        Environment env = REGISTRY.create(id);
        double total = 0;
        double[] observation = env.reset(100);
        for (int episode = 0; episode < episodes; episode++) {
            boolean done = false;
            while (!done) {
                StepResult step = env.step(policy.act(new double[][] {observation}, null, true, null));
                total += step.reward();
                observation = step.observation();
                done = step.done();
            }
            observation = env.reset();
        }
        return total / episodes;
    }

    /** rollout/ep_rew_mean at the end of a seeded run. */
    private static double train(String id, int numEnvs, PpoConfig config, long steps, long seed) {
        PpoTrainer trainer = new PpoTrainer(config, SyncVecEnv.of(REGISTRY, id, numEnvs), seed);
        Double[] last = {null};
        trainer.learn(steps, report -> {
            last[0] = report.episodeReturnMean();
            return true;
        });
        assertThat(last[0]).as("episodes finished").isNotNull();
        System.out.printf("%s seed %d: ep_rew_mean %.1f%n", id, seed, last[0]);
        return last[0];
    }

    private static double randomPolicyReturn(String id, int episodes) {
        Environment env = REGISTRY.create(id);
        SplittableRandom random = new SplittableRandom(3);
        double total = 0;
        env.reset(3);
        for (int episode = 0; episode < episodes; episode++) {
            boolean done = false;
            while (!done) {
                StepResult step = env.step(randomAction(env, random));
                total += step.reward();
                done = step.done();
            }
            env.reset();
        }
        return total / episodes;
    }

    private static double[] randomAction(Environment env, SplittableRandom random) {
        if (env.spec().actionSpace() instanceof DiscreteSpace discrete) {
            return new double[] {random.nextInt(discrete.n())};
        }
        BoxSpace box = (BoxSpace) env.spec().actionSpace();
        double[] action = new double[box.flatSize()];
        for (int i = 0; i < action.length; i++) {
            action[i] = box.low()[i] + random.nextDouble() * (box.high()[i] - box.low()[i]);
        }
        return action;
    }
}

package dev.proxima.ppo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxima.env.BoxSpace;
import dev.proxima.env.DiscreteSpace;
import dev.proxima.env.Environment;
import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.env.StepResult;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.vecenv.SyncVecEnv;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Short, seeded versions of rl-zoo's runs: each must clearly beat a uniformly random policy.
 * The full-length results are in docs/BENCHMARKS.md.
 */
class ClassicControlLearningTest {

    private static final EnvironmentRegistry REGISTRY = new EnvironmentRegistry();

    @Test
    void acrobotWithVecNormalizeLearnsToSwingUp() {
        PpoConfig zoo = PpoConfig.builder().normalizeObservations(true).normalizeReward(true).nSteps(256)
                .gaeLambda(0.94).gamma(0.99).nEpochs(4).build();
        double trained = train("Acrobot-v1", 16, zoo, 61_440);
        double random = randomPolicyReturn("Acrobot-v1", 10);
        assertThat(random).isLessThan(-400);
        assertThat(trained).isGreaterThan(-150);
    }

    @Test
    void pendulumWithGaussianPolicyLearnsToBalance() {
        PpoConfig zoo = PpoConfig.builder().nSteps(1024).gaeLambda(0.95).gamma(0.9).nEpochs(10).learningRate(1e-3)
                .clipRange(0.2).build();
        double trained = train("Pendulum-v1", 4, zoo, 61_440);
        double random = randomPolicyReturn("Pendulum-v1", 10);
        assertThat(random).isLessThan(-900);
        assertThat(trained).isGreaterThan(random + 400);
    }

    @Test
    void pendulumWithGsdeLearnsToBalance() {
        PpoConfig zoo = PpoConfig.builder().nSteps(1024).gaeLambda(0.95).gamma(0.9).nEpochs(10).learningRate(1e-3)
                .clipRange(0.2).useSde(true).sdeSampleFreq(4).build();
        double trained = train("Pendulum-v1", 4, zoo, 61_440);
        assertThat(trained).isGreaterThan(randomPolicyReturn("Pendulum-v1", 10) + 400);
    }

    /** rl-zoo's whole budget (2e4 steps): without gSDE's smooth exploration PPO rarely finds the flag this fast. */
    @Test
    void mountainCarContinuousWithGsdeReachesTheFlag() {
        PpoConfig zoo = PpoConfig.builder().normalizeObservations(true).normalizeReward(true).nSteps(8).batchSize(8)
                .gamma(0.9999).learningRate(7.77e-5).entCoef(0.00429).clipRange(0.1).nEpochs(10).gaeLambda(0.9)
                .maxGradNorm(5.0).vfCoef(0.19).useSde(true).logStdInit(-3.29).orthoInit(false).build();
        PpoTrainer trainer = trainer("MountainCarContinuous-v0", 1, zoo, 20_000);
        double random = randomPolicyReturn("MountainCarContinuous-v0", 5);
        double trained = evaluate(trainer.policy(), "MountainCarContinuous-v0", 5);
        System.out.printf("MountainCarContinuous-v0: random %.1f, trained %.1f%n", random, trained);
        assertThat(random).isLessThan(0);
        assertThat(trained).isGreaterThan(80);
    }

    @Test
    void mountainCarWithVecNormalizeReachesTheFlag() {
        PpoConfig zoo = PpoConfig.builder().normalizeObservations(true).normalizeReward(true).nSteps(16)
                .gaeLambda(0.98).gamma(0.99).nEpochs(4).entCoef(0.0).build();
        PpoTrainer trainer = trainer("MountainCar-v0", 16, zoo, 200_000);
        double trained = evaluate(trainer.policy(), "MountainCar-v0", 5);
        System.out.printf("MountainCar-v0: random %.1f, trained %.1f%n", randomPolicyReturn("MountainCar-v0", 5), trained);
        assertThat(randomPolicyReturn("MountainCar-v0", 5)).isEqualTo(-200);
        assertThat(trained).isGreaterThan(-180);
    }

    private static PpoTrainer trainer(String id, int numEnvs, PpoConfig config, long steps) {
        PpoTrainer trainer = new PpoTrainer(config, SyncVecEnv.of(REGISTRY, id, numEnvs), 1);
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
    private static double train(String id, int numEnvs, PpoConfig config, long steps) {
        PpoTrainer trainer = new PpoTrainer(config, SyncVecEnv.of(REGISTRY, id, numEnvs), 1);
        Double[] last = {null};
        trainer.learn(steps, report -> {
            last[0] = report.episodeReturnMean();
            return true;
        });
        assertThat(last[0]).as("episodes finished").isNotNull();
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

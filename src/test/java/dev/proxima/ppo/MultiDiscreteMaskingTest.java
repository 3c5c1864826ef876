package dev.proxima.ppo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxima.env.DiagonalMaze;
import dev.proxima.env.Environment;
import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.env.StepResult;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.ppo.distribution.MultiCategorical;
import dev.proxima.support.LearningSeeds;
import dev.proxima.vecenv.SyncVecEnv;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** MaskablePPO on a MultiDiscrete action space: per-dimension masks in rollouts, updates and acting. */
class MultiDiscreteMaskingTest {

    static LongStream seeds() {
        return LearningSeeds.orDefault(2);
    }

    /** The untrained greedy policy wanders until the time limit; seeds 0-4 all find the optimum by 5,120 steps. */
    @Tag("learning")
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void maskedPpoFindsTheOptimalPathThroughTheDiagonalMaze(long seed) {
        PpoConfig config = PpoConfig.builder().nSteps(64).batchSize(128).nEpochs(4).learningRate(1e-3).entCoef(0.01)
                .gamma(0.99).build();
        PpoTrainer trainer = new PpoTrainer(config, SyncVecEnv.of(new EnvironmentRegistry(), DiagonalMaze.ID, 4), seed);
        trainer.learn(10_240, report -> true);

        Policy policy = trainer.policy();
        assertThat(policy.distribution()).isInstanceOf(MultiCategorical.class);
        assertThat(policy.maskSize()).isEqualTo(6);
        Environment maze = new EnvironmentRegistry().create(DiagonalMaze.ID);
        double[] observation = maze.reset(0);
        double total = 0;
        boolean done = false;
        while (!done) {
            boolean[] mask = maze.actionMask();
            double[] action = policy.act(new double[][] {observation}, new boolean[][] {mask}, true, null);
            assertThat(mask[(int) action[0]] && mask[3 + (int) action[1]]).as("legal action").isTrue();
            StepResult step = maze.step(action);
            total += step.reward();
            observation = step.observation();
            done = step.done();
        }
        System.out.printf("DiagonalMaze seed %d: return %.1f%n", seed, total);
        assertThat(total).isEqualTo(DiagonalMaze.OPTIMAL_RETURN);
    }
}

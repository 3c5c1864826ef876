package dev.proxima.ppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.proxima.env.Environment;
import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.env.GridMaze;
import dev.proxima.env.StepResult;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.ppo.distribution.Categorical;
import dev.proxima.support.LearningSeeds;
import dev.proxima.vecenv.SyncVecEnv;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Invalid-action masking (sb3-contrib's MaskablePPO, Huang and Ontañón 2020) and the maze that needs it. */
class ActionMaskingTest {

    static LongStream seeds() {
        return LearningSeeds.orDefault(2);
    }

    private static final Categorical CATEGORICAL = new Categorical(4);

    private static float[] masked(float[] logits, boolean[] mask) {
        float[] copy = logits.clone();
        CATEGORICAL.applyMask(copy, 0, mask, 0);
        return copy;
    }

    @Test
    void maskedActionsAreNeverSampledOrChosen() {
        float[] logits = masked(new float[] {3.0f, 0.1f, 2.5f, -0.4f}, new boolean[] {false, true, false, true});
        SplittableRandom random = new SplittableRandom(1);
        double[] action = new double[1];
        int[] counts = new int[4];
        for (int i = 0; i < 100_000; i++) {
            CATEGORICAL.sample(logits, 0, random, action, 0);
            counts[(int) action[0]]++;
        }
        assertThat(counts[0]).isZero();
        assertThat(counts[2]).isZero();
        double expectedShareOf1 = Math.exp(0.1) / (Math.exp(0.1) + Math.exp(-0.4));
        assertThat(counts[1] / 100_000.0).isCloseTo(expectedShareOf1, within(0.01));
        CATEGORICAL.mode(logits, 0, action, 0);
        assertThat(action[0]).isEqualTo(1.0);
    }

    @Test
    void logProbAndEntropyAreOverTheLegalActionsOnly() {
        float[] logits = masked(new float[] {3.0f, 0.1f, 2.5f, -0.4f}, new boolean[] {false, true, false, true});
        double z = Math.exp(0.1f) + Math.exp(-0.4f);
        double p1 = Math.exp(0.1f) / z;
        double p3 = Math.exp(-0.4f) / z;
        assertThat(CATEGORICAL.logProb(logits, 0, new double[] {1}, 0)).isCloseTo(Math.log(p1), within(1e-12));
        assertThat(CATEGORICAL.entropy(logits, 0)).isCloseTo(-(p1 * Math.log(p1) + p3 * Math.log(p3)), within(1e-12));

        double[] gradient = new double[4];
        CATEGORICAL.accumulateGradient(logits, 0, new double[] {1}, 0, 1.0, 0.5, gradient);
        assertThat(gradient[0]).isZero();
        assertThat(gradient[2]).isZero();
        assertThat(gradient[1]).isNotZero();
    }

    @Test
    void mazeMasksWallsAndTheGridEdge() {
        Environment maze = new EnvironmentRegistry().create(GridMaze.ID);
        maze.reset(0);
        // at (0,0): up and left leave the grid, down is a wall
        assertThat(maze.actionMask()).containsExactly(false, true, false, false);
        StepResult invalid = maze.step(new double[] {2});
        assertThat(maze.state()).containsExactly(0, 0);
        assertThat(invalid.reward()).isEqualTo(-1.0);
        assertThat(shortestPath()).isEqualTo((int) -GridMaze.OPTIMAL_RETURN);
    }

    @Tag("learning")
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void maskedPpoFindsTheOptimalPath(long seed) {
        PpoConfig config = PpoConfig.builder().nSteps(64).batchSize(128).nEpochs(4).learningRate(1e-3).entCoef(0.01)
                .gamma(0.99).build();
        PpoTrainer trainer = new PpoTrainer(config, SyncVecEnv.of(new EnvironmentRegistry(), GridMaze.ID, 4), seed);
        trainer.learn(20_480, report -> true);

        Policy policy = trainer.policy();
        Environment maze = new EnvironmentRegistry().create(GridMaze.ID);
        double[] observation = maze.reset(0);
        double total = 0;
        boolean done = false;
        while (!done) {
            double[] action = policy.act(new double[][] {observation}, new boolean[][] {maze.actionMask()}, true, null);
            StepResult step = maze.step(action);
            total += step.reward();
            observation = step.observation();
            done = step.done();
        }
        System.out.printf("GridMaze seed %d: return %.1f%n", seed, total);
        assertThat(total).isEqualTo(GridMaze.OPTIMAL_RETURN);
    }

    /** Breadth-first search over the maze from the start, through the environment itself. */
    private static int shortestPath() {
        Environment maze = new EnvironmentRegistry().create(GridMaze.ID);
        int[][] distance = new int[5][5];
        for (int[] row : distance) {
            java.util.Arrays.fill(row, -1);
        }
        distance[0][0] = 0;
        ArrayDeque<int[]> queue = new ArrayDeque<>();
        queue.add(new int[] {0, 0});
        while (!queue.isEmpty()) {
            int[] cell = queue.poll();
            for (int move = 0; move < 4; move++) {
                maze.resetToState(new double[] {cell[0], cell[1]});
                if (!maze.actionMask()[move]) {
                    continue;
                }
                maze.step(new double[] {move});
                int r = (int) maze.state()[0];
                int c = (int) maze.state()[1];
                if (distance[r][c] < 0) {
                    distance[r][c] = distance[cell[0]][cell[1]] + 1;
                    queue.add(new int[] {r, c});
                }
            }
        }
        return distance[4][4];
    }
}

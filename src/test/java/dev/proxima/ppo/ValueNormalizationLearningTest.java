package dev.proxima.ppo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.ppo.config.Schedule;
import dev.proxima.support.LearningSeeds;
import dev.proxima.vecenv.SyncVecEnv;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * normalizeValue on CartPole-v1 with every reward times 1000 (rl-zoo's configuration): the
 * critic's targets run to 50,000 instead of 50. With PopArt the job learns as the unscaled one
 * does; without it the value loss is a million times larger, the global gradient-norm clip
 * shrinks the policy's share of the step to nearly nothing, and it learns far slower. The curves
 * of three seeds are in docs/BENCHMARKS.md (PpoNotesBenchmark).
 */
@Tag("learning")
public class ValueNormalizationLearningTest {

    static final double SCALE = 1000;

    static LongStream seeds() {
        return LearningSeeds.orDefault(0);
    }

    public static PpoConfig.Builder zoo() {
        return PpoConfig.builder().learningRate(0.001).learningRateSchedule(Schedule.LINEAR).nSteps(32).batchSize(256)
                .nEpochs(20).gamma(0.98).gaeLambda(0.8).clipRange(0.2).clipRangeSchedule(Schedule.LINEAR).entCoef(0.0);
    }

    /** ep_rew_mean over the scale after {@code steps} of training. */
    static double finalReturn(PpoConfig config, double rewardScale, long steps, long seed) {
        SyncVecEnv env = SyncVecEnv.of(new EnvironmentRegistry(), "CartPole-v1", 8, rewardScale);
        PpoTrainer trainer = new PpoTrainer(config, env, seed);
        Double[] last = {null};
        trainer.learn(steps, report -> {
            last[0] = report.episodeReturnMean();
            return true;
        });
        return last[0] / rewardScale;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void popArtLearnsTheScaledTaskAsTheUnscaledOneIsLearnt(long seed) {
        double normalized = finalReturn(zoo().normalizeValue(true).build(), SCALE, 100_000, seed);
        double plain = finalReturn(zoo().build(), SCALE, 100_000, seed);
        System.out.printf("CartPole-v1 x%.0f seed %d at 100k steps: ep_rew_mean/%.0f %.1f with normalizeValue, %.1f "
                + "without%n", SCALE, seed, SCALE, normalized, plain);
        // the unscaled task's bar (CartPoleLearningTest); a random policy scores 22
        assertThat(normalized).isGreaterThan(200);
        assertThat(plain).isLessThan(100);
    }
}

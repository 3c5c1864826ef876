package dev.proxima.ppo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.ppo.config.Schedule;
import dev.proxima.support.LearningSeeds;
import dev.proxima.vecenv.SyncVecEnv;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * rl-baselines3-zoo's CartPole-v1 configuration, seeded, learns to balance within 100k steps. Most
 * seeds reach ep_rew_mean 475 by then (SB3 needs 61-77k steps), but not all: seed 3 under the
 * Haswell kernels stands at about 300 at 100k. The bar, 200 against a random policy's 22, holds for
 * every seed of scripts/learning-sweep.sh under both BLAS settings.
 */
@Tag("learning")
class CartPoleLearningTest {

    static LongStream seeds() {
        return LearningSeeds.orDefault(0);
    }

    static PpoConfig zooConfig() {
        return zoo().build();
    }

    private static PpoConfig.Builder zoo() {
        return PpoConfig.builder().learningRate(0.001).learningRateSchedule(Schedule.LINEAR).nSteps(32).batchSize(256)
                .nEpochs(20).gamma(0.98).gaeLambda(0.8).clipRange(0.2).clipRangeSchedule(Schedule.LINEAR).entCoef(0.0);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void learnsToBalanceWithinOneHundredThousandSteps(long seed) {
        SyncVecEnv env = SyncVecEnv.of(new EnvironmentRegistry(), "CartPole-v1", 8);
        PpoTrainer trainer = new PpoTrainer(zooConfig(), env, seed);
        List<IterationReport> reports = new ArrayList<>();
        trainer.learn(100_000, report -> {
            reports.add(report);
            if (report.iteration() % 20 == 0) {
                System.out.printf("iter %d steps %d return %.1f fps %.0f%n", report.iteration(), report.timesteps(),
                        report.episodeReturnMean(), report.metrics().get("time/fps"));
            }
            return report.episodeReturnMean() == null || report.episodeReturnMean() < 475;
        });
        IterationReport last = reports.get(reports.size() - 1);
        System.out.printf("CartPole-v1 seed %d: final iter %d steps %d return %.1f after %.1f s%n", seed, last.iteration(), last.timesteps(),
                last.episodeReturnMean(), last.elapsedSeconds());
        assertThat(last.episodeReturnMean()).isGreaterThanOrEqualTo(200.0);
        assertThat(last.timesteps()).isLessThanOrEqualTo(100_096);
    }

    /** One trunk with two heads, as SB3's shared net_arch: the same task is learnt as clearly. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aSharedNetworkLearnsToBalanceToo(long seed) {
        PpoConfig shared = zoo().sharedNetwork(true).build();
        PpoTrainer trainer = new PpoTrainer(shared, SyncVecEnv.of(new EnvironmentRegistry(), "CartPole-v1", 8), seed);
        Double[] last = {null};
        trainer.learn(100_000, report -> {
            last[0] = report.episodeReturnMean();
            return last[0] == null || last[0] < 475;
        });
        System.out.printf("shared network seed %d: ep_rew_mean %.1f at %d steps%n", seed, last[0], trainer.timesteps());
        assertThat(last[0]).isGreaterThanOrEqualTo(200.0);
    }
}

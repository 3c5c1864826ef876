package dev.proxima.ppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.ppo.archive.PolicyArchive;
import dev.proxima.ppo.config.Objective;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.ppo.model.ActorCritic;
import dev.proxima.support.LearningSeeds;
import dev.proxima.vecenv.ObservationNormalizer;
import dev.proxima.vecenv.SyncVecEnv;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A training run continued from a checkpoint archive carries on where the checkpoint left it. */
class TrainerResumeTest {

    static LongStream seeds() {
        return LearningSeeds.orDefault(0);
    }

    private static final EnvironmentRegistry REGISTRY = new EnvironmentRegistry();

    @Tag("learning")
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aResumedCartPoleRunContinuesItsCountersAndStillLearns(long seed) {
        PpoConfig zoo = CartPoleLearningTest.zooConfig();
        PpoTrainer first = new PpoTrainer(zoo, SyncVecEnv.of(REGISTRY, "CartPole-v1", 8), seed);
        byte[][] checkpoint = new byte[1][];
        List<IterationReport> before = new ArrayList<>();
        first.learn(100_000, report -> {
            before.add(report);
            checkpoint[0] = report.policy().toArchive();
            return report.iteration() < 60;
        });
        IterationReport last = before.get(before.size() - 1);

        PpoTrainer resumed = PpoTrainer.resume(zoo, SyncVecEnv.of(REGISTRY, "CartPole-v1", 8), seed, checkpoint[0], true);
        assertThat(resumed.iteration()).isEqualTo(60);
        assertThat(resumed.timesteps()).isEqualTo(60 * 256);
        List<IterationReport> after = new ArrayList<>();
        resumed.learn(100_000, report -> {
            after.add(report);
            return report.episodeReturnMean() < 475;
        });

        IterationReport next = after.get(0);
        assertThat(next.iteration()).isEqualTo(61);
        assertThat(next.timesteps()).isEqualTo(61 * 256);
        assertThat(next.metrics().get("train/n_updates")).isEqualTo(61.0 * 20);
        assertThat(next.metrics().get("time/time_elapsed")).isGreaterThanOrEqualTo(Math.floor(last.elapsedSeconds()));
        // the last-100-episode window came with the checkpoint
        assertThat(next.episodeReturnMean()).isNotNull();
        for (int i = 1; i < after.size(); i++) {
            assertThat(after.get(i).iteration()).isEqualTo(after.get(i - 1).iteration() + 1);
        }
        // the schedules carried on: lin_0.001 at progress remaining 1 - 61 * 256 / 1e5
        assertThat(next.metrics().get("train/learning_rate")).isEqualTo(0.001 * (1 - 61 * 256 / 100_000.0));
        System.out.printf("resumed seed %d: ep_rew_mean %.1f at %d steps%n", seed,
                after.get(after.size() - 1).episodeReturnMean(), after.get(after.size() - 1).timesteps());
        // as CartPoleLearningTest's bar: 475 is reached by 100k steps for most seeds, not all
        assertThat(after.get(after.size() - 1).episodeReturnMean()).isGreaterThanOrEqualTo(200.0);
    }

    @Test
    void normalizerStatisticsGsdeAndKlBetaCarryOver() {
        PpoConfig config = PpoConfig.builder().normalizeObservations(true).normalizeReward(true).useSde(true)
                .sdeSampleFreq(4).objective(Objective.KL_PENALTY).nSteps(128).batchSize(64).nEpochs(2).build();
        PpoTrainer first = new PpoTrainer(config, SyncVecEnv.of(REGISTRY, "Pendulum-v1", 2), 5);
        List<IterationReport> before = new ArrayList<>();
        first.learn(100_000, report -> {
            before.add(report);
            return report.iteration() < 3;
        });
        byte[] checkpoint = before.get(2).policy().toArchive();
        ObservationNormalizer saved = PolicyArchive.read(checkpoint, false).normalizer();

        PpoTrainer resumed = PpoTrainer.resume(config, SyncVecEnv.of(REGISTRY, "Pendulum-v1", 2), 5, checkpoint, true);
        assertThat(resumed.model().usesSde()).isTrue();
        assertThat(resumed.model().policyParameters(new float[] {1, 0, 0.5f}, 1))
                .containsExactly(first.model().policyParameters(new float[] {1, 0, 0.5f}, 1));
        List<IterationReport> after = new ArrayList<>();
        resumed.learn(100_000, report -> {
            after.add(report);
            return false;
        });
        // beta as the first run adapted it after iteration 3, then adapted once more
        double beta = before.get(2).metrics().get("train/kl_beta");
        assertThat(after.get(0).metrics().get("train/kl_beta")).isIn(beta / 2, beta, beta * 2);
        ObservationNormalizer continued = PolicyArchive.read(after.get(0).policy().toArchive(), false).normalizer();
        // the observation statistics kept counting from the checkpoint's: reset observations + 128 steps x 2 envs
        assertThat(continued.count()).isEqualTo(saved.count() + 2 + 256);
    }

    @Test
    void valueStatisticsTheLayeredOptimizerAndHybridActionsCarryOver() {
        PpoConfig config = PpoConfig.builder().normalizeValue(true).sharedNetwork(true).trunkLearningRate(1e-3)
                .policyHeadLearningRate(3e-4).valueHeadLearningRate(2e-3).valueHeadAdamEpsilon(1e-6).nSteps(64)
                .batchSize(64).nEpochs(2).build();
        PpoTrainer first = new PpoTrainer(config, SyncVecEnv.of(REGISTRY, "Moving-v0", 2), 5);
        List<IterationReport> before = new ArrayList<>();
        first.learn(100_000, report -> {
            before.add(report);
            return report.iteration() < 2;
        });
        byte[] checkpoint = before.get(1).policy().toArchive();
        float[] probe = {0.1f, -0.2f, 0.3f, 1, 0, 0.5f, 0.5f, 0.6f, 0, 0.1f};

        PpoTrainer resumed = PpoTrainer.resume(config, SyncVecEnv.of(REGISTRY, "Moving-v0", 2), 5, checkpoint, true);
        assertThat(resumed.model().values(probe, 1)).containsExactly(first.model().values(probe, 1));
        assertThat(resumed.model().policyParameters(probe, 1)).containsExactly(first.model().policyParameters(probe, 1));
        assertThat(resumed.model().valueNormalizer().count()).isEqualTo(first.model().valueNormalizer().count());
        List<IterationReport> after = new ArrayList<>();
        resumed.learn(100_000, report -> {
            after.add(report);
            return false;
        });
        // one more rollout of 2 x 64 returns merged into the statistics
        assertThat(resumed.model().valueNormalizer().count()).isEqualTo(first.model().valueNormalizer().count() + 128);
        assertThat(after.get(0).metrics().get("train/trunk_learning_rate")).isEqualTo(1e-3);
        assertThat(after.get(0).metrics().get("train/value_head_learning_rate")).isEqualTo(2e-3);
        assertThat(after.get(0).metrics()).containsKeys("train/entropy/type", "train/value_norm_std");
    }

    @Test
    void aServedPolicyArchiveCannotBeResumed() {
        PpoTrainer trainer = new PpoTrainer(CartPoleLearningTest.zooConfig(), SyncVecEnv.of(REGISTRY, "CartPole-v1", 8),
                1);
        byte[] policyOnly = new Policy(trainer.model(), null).toArchive();
        assertThatThrownBy(() -> PpoTrainer.resume(CartPoleLearningTest.zooConfig(),
                SyncVecEnv.of(REGISTRY, "CartPole-v1", 8), 1, policyOnly, true)).isInstanceOf(IllegalArgumentException.class);
    }
}

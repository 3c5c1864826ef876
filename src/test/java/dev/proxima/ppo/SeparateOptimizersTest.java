package dev.proxima.ppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.vecenv.SyncVecEnv;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** actorLearningRate / criticLearningRate reach their own network; train/std is logged for Gaussian policies. */
class SeparateOptimizersTest {

    private static final float[] PROBE = {0.01f, -0.02f, 0.03f, 0.1f};

    @Test
    void eachNetworkLearnsAtItsOwnRate() {
        PpoConfig config = PpoConfig.builder().nSteps(128).batchSize(64).nEpochs(2).actorLearningRate(1e-3)
                .criticLearningRate(1e-12).build();
        PpoTrainer trainer = new PpoTrainer(config, SyncVecEnv.of(new EnvironmentRegistry(), "CartPole-v1", 2), 5);
        float[] actorBefore = trainer.model().policyParameters(PROBE, 1);
        float[] criticBefore = trainer.model().values(PROBE, 1);
        List<Map<String, Double>> metrics = new ArrayList<>();
        trainer.learn(256, report -> metrics.add(report.metrics()));

        float[] actorAfter = trainer.model().policyParameters(PROBE, 1);
        float[] criticAfter = trainer.model().values(PROBE, 1);
        assertThat(actorAfter).isNotEqualTo(actorBefore);
        assertThat(criticAfter[0]).isCloseTo(criticBefore[0], within(1e-6f));
        assertThat(metrics.get(0).get("train/actor_learning_rate")).isEqualTo(1e-3);
        assertThat(metrics.get(0).get("train/critic_learning_rate")).isEqualTo(1e-12);
    }

    @Test
    void gaussianPoliciesReportTheirStandardDeviation() {
        PpoConfig config = PpoConfig.builder().nSteps(64).batchSize(64).nEpochs(1).logStdInit(-1.0).build();
        PpoTrainer trainer = new PpoTrainer(config, SyncVecEnv.of(new EnvironmentRegistry(), "Pendulum-v1", 1), 5);
        List<Double> stds = new ArrayList<>();
        trainer.learn(64, report -> stds.add(report.metrics().get("train/std")));
        // one small Adam step away from exp(-1)
        assertThat(stds.get(0)).isCloseTo(Math.exp(-1.0), within(0.01));
    }
}

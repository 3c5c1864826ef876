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

/** MultiDiscrete and hybrid policies report each head's entropy and approx_kl; single-headed ones do not. */
class PerHeadDiagnosticsTest {

    private static Map<String, Double> firstIteration(String env) {
        PpoConfig config = PpoConfig.builder().nSteps(64).batchSize(64).nEpochs(4).build();
        PpoTrainer trainer = new PpoTrainer(config, SyncVecEnv.of(new EnvironmentRegistry(), env, 2), 3);
        List<Map<String, Double>> metrics = new ArrayList<>();
        trainer.learn(128, report -> metrics.add(report.metrics()));
        return metrics.get(0);
    }

    @Test
    void multiDiscreteReportsEachDimension() {
        Map<String, Double> metrics = firstIteration("DiagonalMaze-v0");
        // a fresh policy is close to uniform over each dimension's 3 moves (among the legal ones)
        for (String head : new String[] {"0", "1"}) {
            assertThat(metrics.get("train/entropy/" + head)).isBetween(0.3, Math.log(3) + 1e-9);
            assertThat(metrics.get("train/approx_kl/" + head)).isBetween(0.0, 0.1);
        }
        assertThat(metrics).doesNotContainKey("train/entropy/2");
    }

    @Test
    void hybridReportsTheTypeTheParametersAndEachStd() {
        Map<String, Double> metrics = firstIteration("Moving-v0");
        assertThat(metrics.get("train/entropy/type")).isBetween(1.0, Math.log(3) + 1e-9);
        // two of three types use one parameter each, at log-std near 0: about 2/3 * 1.42
        assertThat(metrics.get("train/entropy/parameters")).isCloseTo(2.0 / 3 * (0.5 + 0.5 * Math.log(2 * Math.PI)),
                within(0.1));
        assertThat(metrics.get("train/approx_kl/type")).isBetween(0.0, 0.1);
        assertThat(metrics.get("train/approx_kl/parameters")).isBetween(0.0, 0.1);
        assertThat(metrics.get("train/std/0")).isCloseTo(1.0, within(0.05));
        assertThat(metrics.get("train/std/1")).isCloseTo(1.0, within(0.05));
        assertThat(metrics.get("train/std")).isCloseTo((metrics.get("train/std/0") + metrics.get("train/std/1")) / 2,
                within(1e-9));
    }

    @Test
    void singleHeadedPoliciesHaveNoPerHeadMetrics() {
        assertThat(firstIteration("CartPole-v1").keySet()).noneMatch(key -> key.startsWith("train/entropy/")
                || key.startsWith("train/approx_kl/") || key.startsWith("train/std/"));
    }
}

package dev.proxima.ppo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.env.VectorEnv;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** rl-baselines3-zoo's CartPole-v1 configuration, seeded, learns to balance within 100k steps. */
class CartPoleLearningTest {

    static PpoConfig zooConfig() {
        return PpoConfig.builder().learningRate(0.001).learningRateSchedule("linear").nSteps(32).batchSize(256)
                .nEpochs(20).gamma(0.98).gaeLambda(0.8).clipRange(0.2).clipRangeSchedule("linear").entCoef(0.0)
                .build();
    }

    @Test
    void reachesSolvedReturnWithinOneHundredThousandSteps() {
        VectorEnv env = VectorEnv.of(new EnvironmentRegistry(), "CartPole-v1", 8);
        PpoTrainer trainer = new PpoTrainer(zooConfig(), env, 42);
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
        System.out.printf("final iter %d steps %d return %.1f after %.1f s%n", last.iteration(), last.timesteps(),
                last.episodeReturnMean(), last.elapsedSeconds());
        assertThat(last.episodeReturnMean()).isGreaterThanOrEqualTo(475.0);
        assertThat(last.timesteps()).isLessThanOrEqualTo(100_096);
    }
}

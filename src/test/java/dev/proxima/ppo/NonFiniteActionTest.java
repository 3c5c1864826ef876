package dev.proxima.ppo;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.ppo.model.ActorCritic;
import dev.proxima.ppo.rollout.RolloutBuffer;
import dev.proxima.ppo.rollout.RolloutCollector;
import dev.proxima.vecenv.SyncVecEnv;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A policy whose outputs went non-finite fails its iteration as diverged before any environment sees a NaN. */
class NonFiniteActionTest {

    @Test
    void aNaNActionIsADivergenceNamingTheIteration() {
        SyncVecEnv env = SyncVecEnv.of(new EnvironmentRegistry(), "Pendulum-v1", 2);
        ActorCritic model = ActorCritic.create(3, env.spec().actionSpace(), PpoConfig.defaults(), 1);
        float[] observations = {1, 0, 0, 0, 1, 0};
        model.forward(observations, 2);
        double[] poisoned = new double[4];
        Arrays.fill(poisoned, Double.NaN);
        model.step(poisoned, new double[2], 2, 0.5);

        RolloutBuffer buffer = new RolloutBuffer(8, 2, 3, 1, 2, 0);
        assertThatThrownBy(() -> new RolloutCollector(env, 3, -1).collect(model, buffer, 0.99, 0.95,
                new SplittableRandom(1), 7))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("action")
                .hasMessageContaining("iteration 7");
    }
}

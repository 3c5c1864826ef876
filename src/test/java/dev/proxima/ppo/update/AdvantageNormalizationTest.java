package dev.proxima.ppo.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.ppo.model.ActorCritic;
import dev.proxima.ppo.rollout.RolloutBuffer;
import dev.proxima.ppo.rollout.RolloutCollector;
import dev.proxima.vecenv.SyncVecEnv;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Advantage normalisation that cannot blow up, and its three modes: per minibatch (SB3), over
 * the whole rollout (the PPO paper's implementation) and off.
 */
class AdvantageNormalizationTest {

    private static final float[] PROBE = {0.01f, -0.02f, 0.03f, 0.1f};

    /** A CartPole rollout from a fresh model, its advantages replaced by {@code advantage(i)}. */
    private record Setup(ActorCritic model, RolloutBuffer buffer) {
    }

    private static Setup rollout(PpoConfig config, DoubleUnaryOperator advantage) {
        SyncVecEnv env = SyncVecEnv.of(new EnvironmentRegistry(), "CartPole-v1", 2);
        ActorCritic model = ActorCritic.create(4, env.spec().actionSpace(), config, 5);
        RolloutBuffer buffer = new RolloutBuffer(config.rollout().nSteps(), 2, 4, 1, 0, 0);
        new RolloutCollector(env, 5, -1).collect(model, buffer, 0.99, 0.95, new SplittableRandom(5), 1);
        for (int i = 0; i < buffer.size(); i++) {
            buffer.advantages()[i] = advantage.applyAsDouble(i);
        }
        return new Setup(model, buffer);
    }

    /** The policy's largest parameter change at the probe after one update, and its loss. */
    private static double[] policyChangeAndLoss(PpoConfig config, DoubleUnaryOperator advantage) {
        Setup setup = rollout(config, advantage);
        float[] before = setup.model().policyParameters(PROBE, 1);
        PpoUpdater.Stats stats = new PpoUpdater(config).update(setup.model(), setup.buffer(), 1.0, 0.2, 0.0, 1,
                new SplittableRandom(1));
        float[] after = setup.model().policyParameters(PROBE, 1);
        double change = 0;
        for (int i = 0; i < before.length; i++) {
            change = Math.max(change, Math.abs(after[i] - before[i]));
        }
        return new double[] {change, stats.loss(), stats.policyGradientLoss()};
    }

    private static PpoConfig config(String mode) {
        return PpoConfig.builder().nSteps(64).batchSize(32).nEpochs(4).named("advantageNormalization", mode).build();
    }

    /** The exact constant is 0 / (0 + 1e-8) = 0 by SB3's formula too; the near-constant one needs the floor. */
    @Test
    void aConstantAdvantageMinibatchGivesAFiniteUpdateThatLeavesThePolicy() {
        double[] constant = policyChangeAndLoss(config("minibatch"), i -> 2.5);
        // equal up to rounding noise (1e-9 of 2.5): SB3's (A - mean) / (std + 1e-8) would make it +-1
        double[] nearlyConstant = policyChangeAndLoss(config("minibatch"), i -> 2.5 + 1e-9 * Math.sin(7.1 * i));
        double[] spread = policyChangeAndLoss(config("minibatch"), i -> Math.sin(7.1 * i));

        assertThat(constant[1]).isFinite();
        assertThat(nearlyConstant[1]).isFinite();
        assertThat(constant[0]).isZero();
        assertThat(nearlyConstant[0]).isZero();
        assertThat(constant[2]).isZero();
        // the same update with advantages that do differ moves the policy
        assertThat(spread[0]).isGreaterThan(1e-4);
    }

    @Test
    void theRolloutsStatisticsAreUsedForEveryMinibatch() {
        // advantages 0 in the first half of the rollout, 10 in the second
        DoubleUnaryOperator halves = i -> i < 64 ? 0.0 : 10.0;
        Setup probe = rollout(config("off"), halves);
        double[] normalised = probe.buffer().advantages().clone();
        Minibatch.normalize(normalised, Minibatch.meanMagnitude(probe.buffer().values()));
        assertThat(normalised[0]).isCloseTo(-0.996, within(1e-3));
        assertThat(normalised[127]).isCloseTo(0.996, within(1e-3));

        // rollout mode is exactly "off" on the rollout-normalised advantages, minibatch after minibatch
        double[] viaRollout = policyChangeAndLoss(config("rollout"), halves);
        double[] viaOff = policyChangeAndLoss(config("off"), i -> normalised[(int) i]);
        assertThat(viaRollout).containsExactly(viaOff);
        assertThat(viaRollout[0]).isGreaterThan(1e-4);
        // per-minibatch statistics differ from the rollout's, and so does the update
        assertThat(policyChangeAndLoss(config("minibatch"), halves)).isNotEqualTo(viaRollout);
    }

    @Test
    void offLeavesTheAdvantagesRaw() {
        // raw advantages 1000x larger than normalised ones: the policy loss is 1000x the size
        double[] raw = policyChangeAndLoss(config("off"), i -> 1000 * Math.sin(7.1 * i));
        double[] normalised = policyChangeAndLoss(config("minibatch"), i -> 1000 * Math.sin(7.1 * i));
        assertThat(Math.abs(raw[2])).isGreaterThan(100 * Math.abs(normalised[2]));
    }
}

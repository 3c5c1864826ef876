package dev.proxima.ppo.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.proxima.env.BoxSpace;
import dev.proxima.env.DiscreteSpace;
import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.ppo.PpoTrainer;
import dev.proxima.ppo.archive.PolicyArchive;
import dev.proxima.ppo.config.LogStd;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.vecenv.ObservationNormalizer;
import dev.proxima.vecenv.SyncVecEnv;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The actor-critic's structural options: shared trunk, log-std modes, SB3's ortho_init switch. */
class PolicyVariantsTest {

    private static final BoxSpace ACTIONS = BoxSpace.of(new double[] {-2}, new double[] {2});
    private static final float[] OBS = {0.3f, -0.2f, 0.8f, -0.6f, 0.1f, 0.4f};

    private static ActorCritic create(PpoConfig.Builder config, dev.proxima.env.Space actions) {
        return ActorCritic.create(3, actions, config.build(), 3);
    }

    /** One step on made-up gradients: mean, log-std (Gaussian) or logits, and value as given. */
    private static void step(ActorCritic model, double policyScale, double valueScale) {
        model.forward(OBS, 2);
        int paramSize = model.distribution().paramSize();
        double[] policyGradient = new double[2 * paramSize];
        for (int i = 0; i < policyGradient.length; i++) {
            policyGradient[i] = policyScale * (0.3 - 0.2 * i);
        }
        model.step(policyGradient, new double[] {0.4 * valueScale, -0.3 * valueScale}, 2, 10);
    }

    @Test
    void aSharedTrunkCarriesTheValueLossIntoThePolicy() {
        ActorCritic shared = create(PpoConfig.builder().sharedNetwork(true), new DiscreteSpace(3));
        ActorCritic separate = create(PpoConfig.builder(), new DiscreteSpace(3));
        float[] sharedBefore = shared.policyParameters(OBS, 2);
        float[] separateBefore = separate.policyParameters(OBS, 2);
        step(shared, 0, 1);
        step(separate, 0, 1);
        assertThat(shared.policyParameters(OBS, 2)).isNotEqualTo(sharedBefore);
        assertThat(separate.policyParameters(OBS, 2)).containsExactly(separateBefore);
    }

    @Test
    void aSharedNetworkRoundTripsThroughItsArchive() {
        ActorCritic shared = create(PpoConfig.builder().sharedNetwork(true), ACTIONS);
        step(shared, 1, 1);
        byte[] archive = PolicyArchive.write(shared, null, null);
        ActorCritic restored = PolicyArchive.read(archive, true).model();
        assertThat(restored.policyParameters(OBS, 2)).containsExactly(shared.policyParameters(OBS, 2));
        assertThat(restored.values(OBS, 2)).containsExactly(shared.values(OBS, 2));
        step(shared, 1, 1);
        step(restored, 1, 1);
        assertThat(restored.values(OBS, 2)).containsExactly(shared.values(OBS, 2));
    }

    @Test
    void aSharedHeadStartsWithSb3Gains() {
        ActorCritic shared = create(PpoConfig.builder().sharedNetwork(true), new DiscreteSpace(3));
        float[] logits = shared.policyParameters(OBS, 2);
        float[] values = shared.values(OBS, 2);
        double maxLogit = 0;
        for (float logit : logits) {
            maxLogit = Math.max(maxLogit, Math.abs(logit));
        }
        // gain 0.01 on the policy head, 1 on the value head
        assertThat(maxLogit).isLessThan(0.05);
        assertThat((double) Math.abs(values[0]) + Math.abs(values[1])).isGreaterThan(0.05);
    }

    @Test
    void aFixedLogStdDoesNotLearnButFollowsItsSetting() {
        ActorCritic model = create(PpoConfig.builder().logStd(LogStd.FIXED).logStdInit(-0.7), ACTIONS);
        for (int i = 0; i < 5; i++) {
            step(model, 1, 1);
        }
        float[] params = model.policyParameters(OBS, 2);
        assertThat(params[1]).isEqualTo(-0.7f);
        assertThat(params[3]).isEqualTo(-0.7f);
        model.setFixedLogStd(-1.5);
        assertThat(model.policyParameters(OBS, 2)[1]).isEqualTo(-1.5f);
    }

    @Test
    void aLearnedStateIndependentLogStdMovesButIsTheSameForEveryObservation() {
        ActorCritic model = create(PpoConfig.builder().logStdInit(-0.7), ACTIONS);
        step(model, 1, 1);
        float[] params = model.policyParameters(OBS, 2);
        assertThat(params[1]).isNotEqualTo(-0.7f).isEqualTo(params[3]);
    }

    @Test
    void aStateDependentLogStdDiffersBetweenObservations() {
        ActorCritic model = create(PpoConfig.builder().logStd(LogStd.STATE_DEPENDENT).logStdInit(-0.7),
                ACTIONS);
        float[] initial = model.policyParameters(OBS, 2);
        assertThat((double) initial[1]).isCloseTo(-0.7, within(0.05));
        assertThat(initial[1]).isNotEqualTo(initial[3]);
        step(model, 1, 1);
        assertThat(model.policyParameters(OBS, 2)[1]).isNotEqualTo(initial[1]);
        ActorCritic restored = PolicyArchive.read(PolicyArchive.write(model, null, null), true).model();
        assertThat(restored.policyParameters(OBS, 2)).containsExactly(model.policyParameters(OBS, 2));
    }

    @Test
    void withoutOrthogonalInitTheNetworksStartFromPyTorchDefaults() {
        float[] zero = new float[3];
        ActorCritic orthogonal = create(PpoConfig.builder(), new DiscreteSpace(3));
        ActorCritic pytorchDefault = create(PpoConfig.builder().orthoInit(false), new DiscreteSpace(3));
        // orthogonal init zeroes the biases, so a zero observation gives zero outputs; U(-1/sqrt(fan_in), ..) does not
        assertThat(orthogonal.policyParameters(zero, 1)).containsOnly(0f);
        assertThat(orthogonal.values(zero, 1)).containsOnly(0f);
        assertThat(pytorchDefault.policyParameters(zero, 1)).doesNotContain(0f);
        assertThat(pytorchDefault.values(zero, 1)).doesNotContain(0f);
        for (float logit : pytorchDefault.policyParameters(OBS, 2)) {
            // a head of 64 inputs bounded by 1/8 each, times tanh features bounded by 1, plus its bias
            assertThat(Math.abs(logit)).isLessThan(64 / 8f + 1 / 8f);
        }
    }

    @Test
    void aFixedLogStdDecaysLinearlyOverTraining() {
        PpoConfig config = PpoConfig.builder().logStd(LogStd.FIXED).logStdInit(0.0).logStdEnd(-1.0)
                .nSteps(256).batchSize(64).nEpochs(1).build();
        PpoTrainer trainer = new PpoTrainer(config, SyncVecEnv.of(new EnvironmentRegistry(), "Pendulum-v1", 1), 1);
        List<Double> stds = new ArrayList<>();
        trainer.learn(1024, report -> stds.add(report.metrics().get("train/std")));
        // the std each iteration trained with: exp of the schedule at the iteration's start
        assertThat(stds).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(stds.get(i)).isCloseTo(Math.exp(-i / 4.0), within(1e-6));
        }
    }
}

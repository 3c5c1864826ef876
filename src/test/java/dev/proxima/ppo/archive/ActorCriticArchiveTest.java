package dev.proxima.ppo.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxima.env.DiscreteSpace;
import dev.proxima.env.MultiDiscreteSpace;
import dev.proxima.ppo.Policy;
import dev.proxima.ppo.config.NetworkConfig;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.ppo.distribution.Categorical;
import dev.proxima.ppo.distribution.MultiCategorical;
import dev.proxima.ppo.model.ActorCritic;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ActorCriticArchiveTest {

    private static final int OBS = 4;
    private static final int BATCH = 6;

    private static ActorCritic create(long seed) {
        return ActorCritic.create(OBS, new DiscreteSpace(2),
                PpoConfig.builder().learningRate(3e-4).logStdInit(0.0).build(), seed);
    }

    private static float[] observations() {
        SplittableRandom random = new SplittableRandom(2024);
        float[] obs = new float[BATCH * OBS];
        for (int i = 0; i < obs.length; i++) {
            obs[i] = (float) random.nextDouble(-2, 2);
        }
        return obs;
    }

    @Test
    void archiveRoundTripGivesIdenticalOutputs() {
        ActorCritic original = create(7);
        float[] obs = observations();

        ActorCritic restored = Policy.fromArchive(new Policy(original, null).toArchive()).model();

        assertThat(restored.observationSize()).isEqualTo(OBS);
        assertThat(restored.distribution()).isInstanceOf(Categorical.class);
        assertThat(restored.distribution().paramSize()).isEqualTo(2);
        assertThat(restored.policyParameters(obs, BATCH)).containsExactly(original.policyParameters(obs, BATCH));
        assertThat(restored.values(obs, BATCH)).containsExactly(original.values(obs, BATCH));
    }

    @Test
    void multiDiscreteActionSpaceSurvivesTheArchive() {
        MultiDiscreteSpace space = new MultiDiscreteSpace(new int[] {3, 2, 4});
        ActorCritic original = ActorCritic.create(OBS, space,
                PpoConfig.builder().learningRate(3e-4).logStdInit(0.0).build(), 7);
        float[] obs = observations();

        ActorCritic restored = Policy.fromArchive(new Policy(original, null).toArchive()).model();

        assertThat(restored.actionSpace()).isEqualTo(space);
        assertThat(restored.distribution()).isInstanceOf(MultiCategorical.class);
        assertThat(restored.distribution().paramSize()).isEqualTo(9);
        assertThat(restored.policyParameters(obs, BATCH)).containsExactly(original.policyParameters(obs, BATCH));
    }

    /** One Adam step on a fixed, made-up output gradient. */
    private static void trainOnce(ActorCritic model, float[] obs) {
        model.forward(obs, BATCH);
        double[] policyGradient = new double[BATCH * 2];
        double[] valueGradient = new double[BATCH];
        for (int i = 0; i < BATCH; i++) {
            policyGradient[2 * i] = 0.1 * (i - 2);
            policyGradient[2 * i + 1] = -0.05 * i;
            valueGradient[i] = 0.2 - 0.07 * i;
        }
        model.step(policyGradient, valueGradient, BATCH, 0.5);
    }

    @Test
    void archiveKeepsTheOptimiserStateSoTrainingContinuesIdentically() {
        float[] obs = observations();
        ActorCritic original = create(7);
        trainOnce(original, obs);
        trainOnce(original, obs);
        ActorCritic restored = Policy.fromArchive(new Policy(original, null).toArchive()).model();

        trainOnce(original, obs);
        trainOnce(restored, obs);

        // a model that lost Adam's moments or its step count would take a different third step
        assertThat(restored.policyParameters(obs, BATCH)).containsExactly(original.policyParameters(obs, BATCH));
        assertThat(restored.values(obs, BATCH)).containsExactly(original.values(obs, BATCH));
        ActorCritic fresh = create(7);
        assertThat(restored.values(obs, BATCH)).isNotEqualTo(fresh.values(obs, BATCH));
    }

    @Test
    void sameSeedSameNetworksDifferentSeedDifferentNetworks() {
        float[] obs = observations();
        ActorCritic a = create(7);
        ActorCritic b = create(7);
        ActorCritic c = create(8);

        assertThat(a.policyParameters(obs, BATCH)).containsExactly(b.policyParameters(obs, BATCH));
        assertThat(a.values(obs, BATCH)).containsExactly(b.values(obs, BATCH));
        assertThat(a.policyParameters(obs, BATCH)).isNotEqualTo(c.policyParameters(obs, BATCH));
        assertThat(a.values(obs, BATCH)).isNotEqualTo(c.values(obs, BATCH));
    }

    @Test
    void initialValuesAreNonZeroAndInitialLogitsSmall() {
        ActorCritic model = create(7);
        float[] obs = observations();

        float[] values = model.values(obs, BATCH);
        float[] logits = model.policyParameters(obs, BATCH);

        assertThat(values).hasSize(BATCH);
        assertThat(logits).hasSize(BATCH * 2);
        double maxValue = 0;
        for (float v : values) {
            maxValue = Math.max(maxValue, Math.abs(v));
        }
        // value head gain 1 on tanh features in [-1, 1]: outputs of order 0.1 - 1
        assertThat(maxValue).isGreaterThan(0.05);
        // policy head gain 0.01: |logit| <= 0.01 * ||h|| <= 0.01 * sqrt(64) = 0.08
        double maxLogit = 0;
        for (float z : logits) {
            maxLogit = Math.max(maxLogit, Math.abs(z));
        }
        assertThat(maxLogit).isGreaterThan(0.0).isLessThanOrEqualTo(0.08f);
        // so the initial policy is close to uniform
        for (int i = 0; i < BATCH; i++) {
            double p0 = Math.exp(model.distribution().logProb(logits, 2 * i, new double[] {0}, 0));
            assertThat(p0).isBetween(0.45, 0.55);
        }
    }

    @Test
    void valuesDependOnTheObservation() {
        ActorCritic model = create(7);
        float[] obs = observations();
        float[] values = model.values(obs, BATCH);
        boolean allEqual = true;
        for (float v : values) {
            allEqual &= v == values[0];
        }
        assertThat(allEqual).isFalse();
        // batching does not change a row's output
        float[] firstRow = new float[OBS];
        System.arraycopy(obs, 0, firstRow, 0, OBS);
        assertThat(model.values(firstRow, 1)[0]).isCloseTo(values[0], org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void rejectsSomethingThatIsNotAPolicyArchive() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("policy.properties"));
            zip.write("format=something-else\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        assertThatThrownBy(() -> Policy.fromArchive(bytes.toByteArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a policy archive");
    }
}

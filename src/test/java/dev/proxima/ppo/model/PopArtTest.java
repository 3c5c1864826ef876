package dev.proxima.ppo.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.proxima.env.DiscreteSpace;
import dev.proxima.ppo.archive.PolicyArchive;
import dev.proxima.ppo.config.PpoConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * normalizeValue: PopArt keeps V(s) (in the rewards' units) exactly where it was when the value
 * targets' statistics move, for separate and shared networks, and the statistics travel with
 * the checkpoint.
 */
class PopArtTest {

    private static final int OBSERVATIONS = 16;

    private static float[] observations() {
        SplittableRandom random = new SplittableRandom(9);
        float[] observations = new float[OBSERVATIONS * 4];
        for (int i = 0; i < observations.length; i++) {
            observations[i] = (float) random.nextGaussian();
        }
        return observations;
    }

    private static double[] targets(double mean, double spread, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] targets = new double[256];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = mean + spread * random.nextGaussian();
        }
        return targets;
    }

    private static ActorCritic model(boolean shared) {
        return ActorCritic.create(4, new DiscreteSpace(2),
                PpoConfig.builder().normalizeValue(true).sharedNetwork(shared).build(), 17);
    }

    @ParameterizedTest(name = "shared network {0}")
    @ValueSource(booleans = {false, true})
    void rescalingPreservesTheUnnormalisedValues(boolean shared) {
        ActorCritic model = model(shared);
        float[] observations = observations();

        // targets three and five orders of magnitude away from the initial statistics (mean 0, std 1)
        for (double[] targets : new double[][] {targets(5_000, 1_000, 1), targets(-2e5, 3e4, 2), targets(40, 2, 3)}) {
            float[] before = model.values(observations, OBSERVATIONS);
            float[] policyBefore = model.policyParameters(observations, OBSERVATIONS);

            model.updateValueStatistics(targets);

            float[] after = model.values(observations, OBSERVATIONS);
            for (int i = 0; i < OBSERVATIONS; i++) {
                // float32 weights and outputs: a few float ulps of the larger of the two scales
                double scale = Math.max(Math.abs(model.valueNormalizer().mean()), model.valueNormalizer().std());
                assertThat((double) after[i]).isCloseTo(before[i], within(scale * 1e-6 + Math.abs(before[i]) * 1e-6));
            }
            assertThat(model.policyParameters(observations, OBSERVATIONS)).containsExactly(policyBefore);
        }
    }

    @ParameterizedTest(name = "shared network {0}")
    @ValueSource(booleans = {false, true})
    void theStatisticsFollowTheTargets(boolean shared) {
        ActorCritic model = model(shared);
        double[] targets = targets(5_000, 1_000, 4);
        model.updateValueStatistics(targets);

        double mean = 0;
        for (double target : targets) {
            mean += target;
        }
        mean /= targets.length;
        double squares = 0;
        for (double target : targets) {
            squares += (target - mean) * (target - mean);
        }
        // the initial pseudo-count of 1e-4 (mean 0, variance 1) weighs next to nothing
        assertThat(model.valueNormalizer().mean()).isCloseTo(mean, within(1.0));
        assertThat(model.valueNormalizer().std()).isCloseTo(Math.sqrt(squares / targets.length), within(1.0));
        // a normalised target is one the critic can fit with weights of ordinary size
        assertThat(model.valueNormalizer().normalize(mean + 1_000)).isCloseTo(1.0, within(0.05));
    }

    @ParameterizedTest(name = "shared network {0}")
    @ValueSource(booleans = {false, true})
    void theStatisticsAreInTheCheckpoint(boolean shared) throws Exception {
        ActorCritic model = model(shared);
        model.updateValueStatistics(targets(5_000, 1_000, 5));
        float[] observations = observations();

        byte[] archive = PolicyArchive.write(model, null, null);
        // a build that knows only /1 refuses it rather than serving normalised values as values
        assertThat(meta(archive)).contains("format=proxima-policy/2");
        ActorCritic restored = PolicyArchive.read(archive, false).model();

        assertThat(restored.valueNormalizer().mean()).isEqualTo(model.valueNormalizer().mean());
        assertThat(restored.valueNormalizer().variance()).isEqualTo(model.valueNormalizer().variance());
        assertThat(restored.valueNormalizer().count()).isEqualTo(model.valueNormalizer().count());
        assertThat(restored.values(observations, OBSERVATIONS)).containsExactly(model.values(observations, OBSERVATIONS));
    }

    @ParameterizedTest(name = "shared network {0}")
    @ValueSource(booleans = {false, true})
    void withoutValueNormalizationTheArchiveHasNoStatistics(boolean shared) throws Exception {
        ActorCritic model = ActorCritic.create(4, new DiscreteSpace(2),
                PpoConfig.builder().sharedNetwork(shared).build(), 17);
        assertThat(model.valueNormalizer()).isNull();
        byte[] archive = PolicyArchive.write(model, null, null);
        assertThat(meta(archive)).contains("format=proxima-policy/1").doesNotContain("valueNorm");
        assertThat(PolicyArchive.read(archive, false).model().valueNormalizer()).isNull();
    }

    /** The archive's policy.properties. */
    private static String meta(byte[] archive) throws java.io.IOException {
        try (var zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(archive))) {
            for (var entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.getName().equals("policy.properties")) {
                    return new String(zip.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError("no policy.properties");
    }
}

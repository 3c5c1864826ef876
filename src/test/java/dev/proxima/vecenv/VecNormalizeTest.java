package dev.proxima.vecenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.env.Pendulum;
import dev.proxima.vecenv.VecStep;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link VecNormalize} around two Pendulum-v1 environments, against an identically seeded plain
 * {@link SyncVecEnv} stepped with the same actions and statistics computed directly (two-pass,
 * over everything seen so far, merged with SB3's prior of count 1e-4, mean 0, variance 1; see
 * {@link RunningMeanStdTest}).
 */
class VecNormalizeTest {

    private static final int ENVS = 2;
    private static final int OBS = 3;
    private static final double GAMMA = 0.99;
    private static final double EPSILON = 1e-8;
    private static final long SEED = 123;
    private static final double TOLERANCE = 1e-9;

    private static final EnvironmentRegistry REGISTRY = new EnvironmentRegistry();

    private static SyncVecEnv pendulums() {
        return SyncVecEnv.of(REGISTRY, Pendulum.ID, ENVS);
    }

    /** The statistics kept by hand: all raw observation rows and all running-return values. */
    static final class Reference {
        final List<double[]> observations = new ArrayList<>();
        final List<double[]> returnRows = new ArrayList<>();
        final double[] returns = new double[ENVS];

        void addObservations(double[][] rows) {
            for (double[] row : rows) {
                observations.add(row.clone());
            }
        }

        double[][] observationStats() {
            return RunningMeanStdTest.direct(observations, OBS);
        }

        double returnVar() {
            return RunningMeanStdTest.direct(returnRows, 1)[1][0];
        }

        double[] normalize(double[] raw, double clip) {
            double[][] stats = observationStats();
            double[] z = new double[raw.length];
            for (int c = 0; c < raw.length; c++) {
                z[c] = clip((raw[c] - stats[0][c]) / Math.sqrt(stats[1][c] + EPSILON), clip);
            }
            return z;
        }
    }

    private static double clip(double x, double bound) {
        return Math.max(-bound, Math.min(bound, x));
    }

    private static double[][] copy(double[][] actions) {
        double[][] result = new double[actions.length][];
        for (int i = 0; i < actions.length; i++) {
            result[i] = actions[i].clone();
        }
        return result;
    }

    private static void assertRowClose(double[] actual, double[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int c = 0; c < expected.length; c++) {
            assertThat(actual[c]).as("%s [%d]", what, c).isCloseTo(expected[c], within(TOLERANCE));
        }
    }

    @ParameterizedTest(name = "clipObs {0}, clipReward {1}")
    @CsvSource({"10, 10", "1.5, 0.3"})
    void observationsRewardsEpisodesAndFinalObservationsMatchADirectComputation(double clipObs, double clipReward) {
        SyncVecEnv plain = pendulums();
        VecNormalize wrapped = new VecNormalize(pendulums(), true, true, clipObs, clipReward, GAMMA);
        Reference ref = new Reference();
        SplittableRandom random = new SplittableRandom(77);

        double[][] raw = plain.reset(SEED);
        double[][] normalized = wrapped.reset(SEED);
        ref.addObservations(raw);
        for (int i = 0; i < ENVS; i++) {
            // (a) reset observations count in the statistics and come back normalised
            assertRowClose(normalized[i], ref.normalize(raw[i], clipObs), "reset observation " + i);
        }

        double[] rawEpisodeSums = new double[ENVS];
        int finishedCount = 0;
        int finalsSeen = 0;
        int clippedObservations = 0;
        int clippedRewards = 0;
        ObservationNormalizer snapshot = null;
        double[][] snapshotStats = null;
        double[] snapshotRaw = null;
        for (int step = 0; step < 520; step++) {
            if (step == 250) {
                // a reset mid-episode: statistics carry on, the running returns restart at zero
                raw = plain.reset(SEED + 10);
                normalized = wrapped.reset(SEED + 10);
                ref.addObservations(raw);
                java.util.Arrays.fill(ref.returns, 0);
                java.util.Arrays.fill(rawEpisodeSums, 0);
                for (int i = 0; i < ENVS; i++) {
                    assertRowClose(normalized[i], ref.normalize(raw[i], clipObs), "second reset observation " + i);
                }
            }
            double[][] actions = new double[ENVS][];
            for (int i = 0; i < ENVS; i++) {
                actions[i] = new double[] {random.nextDouble(-3, 3)};
            }
            VecStep rawStep = plain.step(copy(actions));
            VecStep step2 = wrapped.step(copy(actions));
            ref.addObservations(rawStep.observations());

            // (a) observations
            for (int i = 0; i < ENVS; i++) {
                double[] expected = ref.normalize(rawStep.observations()[i], clipObs);
                assertRowClose(step2.observations()[i], expected, "step " + step + " observation " + i);
                for (double z : expected) {
                    if (Math.abs(z) == clipObs) {
                        clippedObservations++;
                    }
                }
            }

            // (b) rewards: the running discounted return's variance scales them
            for (int i = 0; i < ENVS; i++) {
                ref.returns[i] = ref.returns[i] * GAMMA + rawStep.rewards()[i];
                ref.returnRows.add(new double[] {ref.returns[i]});
            }
            double scale = Math.sqrt(ref.returnVar() + EPSILON);
            for (int i = 0; i < ENVS; i++) {
                double expected = clip(rawStep.rewards()[i] / scale, clipReward);
                assertThat(step2.rewards()[i]).as("step %d reward %d", step, i).isCloseTo(expected, within(TOLERANCE));
                if (Math.abs(expected) == clipReward) {
                    clippedRewards++;
                }
                rawEpisodeSums[i] += rawStep.rewards()[i];
            }

            // flags pass through
            assertThat(step2.terminated()).containsExactly(rawStep.terminated());
            assertThat(step2.truncated()).containsExactly(rawStep.truncated());

            // (d) final observations are normalised with the statistics after this step's update
            for (int i = 0; i < ENVS; i++) {
                if (rawStep.done(i)) {
                    assertThat(step2.finalObservations()[i]).isNotNull();
                    assertRowClose(step2.finalObservations()[i], ref.normalize(rawStep.finalObservations()[i], clipObs),
                            "step " + step + " final observation " + i);
                    finalsSeen++;
                } else {
                    assertThat(step2.finalObservations()[i]).isNull();
                }
            }

            // (c) finished episodes carry the raw return and length
            assertThat(step2.finishedEpisodes()).containsExactlyElementsOf(rawStep.finishedEpisodes());
            int e = 0;
            for (int i = 0; i < ENVS; i++) {
                if (rawStep.done(i)) {
                    Episode episode = step2.finishedEpisodes().get(e++);
                    assertThat(episode.totalReward()).isCloseTo(rawEpisodeSums[i], within(1e-9));
                    assertThat(episode.length()).isEqualTo(200);
                    rawEpisodeSums[i] = 0;
                    ref.returns[i] = 0;
                    finishedCount++;
                }
            }
            assertThat(e).isEqualTo(step2.finishedEpisodes().size());

            // (e) at one step, take a snapshot of the normaliser
            if (step == 100) {
                snapshot = wrapped.observationNormalizer();
                snapshotStats = ref.observationStats();
                snapshotRaw = rawStep.observations()[0].clone();
                double[] target = new double[OBS];
                snapshot.normalize(rawStep.observations()[0], target);
                assertThat(target).containsExactly(step2.observations()[0]);
            }
        }

        assertThat(finishedCount).isEqualTo(4);
        assertThat(finalsSeen).isEqualTo(4);
        if (clipObs < 2) {
            assertThat(clippedObservations).as("observations hitting the clip").isPositive();
            assertThat(clippedRewards).as("rewards hitting the clip").isPositive();
        }

        // (e) the snapshot is frozen and equals the statistics at its time
        assertThat(snapshot).isNotNull();
        assertThat(snapshot.clip()).isEqualTo(clipObs);
        assertThat(snapshot.epsilon()).isEqualTo(EPSILON);
        assertThat(snapshot.count()).isCloseTo(1e-4 + ENVS * 102, within(1e-9));
        for (int c = 0; c < OBS; c++) {
            assertThat(snapshot.mean()[c]).isCloseTo(snapshotStats[0][c], within(TOLERANCE));
            assertThat(snapshot.var()[c]).isCloseTo(snapshotStats[1][c], within(TOLERANCE));
        }
        double[] later = new double[OBS];
        snapshot.normalize(snapshotRaw, later);
        // the wrapper's own statistics moved on; a fresh snapshot normalises the same raw row differently
        double[] now = new double[OBS];
        wrapped.observationNormalizer().normalize(snapshotRaw, now);
        assertRowClose(now, ref.normalize(snapshotRaw, clipObs), "current snapshot");
        assertThat(now).isNotEqualTo(later);
    }

    @Test
    void observationNormalizerNormalisesLikeTheWrapper() {
        SyncVecEnv plain = pendulums();
        VecNormalize wrapped = new VecNormalize(pendulums(), true, false, 10, 10, GAMMA);
        plain.reset(SEED);
        wrapped.reset(SEED);
        SplittableRandom random = new SplittableRandom(3);
        for (int step = 0; step < 60; step++) {
            double[][] actions = {{random.nextDouble(-2, 2)}, {random.nextDouble(-2, 2)}};
            VecStep rawStep = plain.step(copy(actions));
            VecStep normStep = wrapped.step(copy(actions));
            ObservationNormalizer normalizer = wrapped.observationNormalizer();
            for (int i = 0; i < ENVS; i++) {
                double[] target = new double[OBS];
                normalizer.normalize(rawStep.observations()[i], target);
                assertThat(target).containsExactly(normStep.observations()[i]);
            }
            // rewards not normalised: raw
            assertThat(normStep.rewards()).containsExactly(rawStep.rewards());
        }
    }

    @Test
    void withoutNormalisationEverythingPassesThrough() {
        SyncVecEnv plain = pendulums();
        VecNormalize wrapped = new VecNormalize(pendulums(), false, false, 10, 10, GAMMA);
        assertThat(wrapped.observationNormalizer()).isNull();
        assertThat(wrapped.size()).isEqualTo(ENVS);
        assertThat(wrapped.spec()).isEqualTo(plain.spec());
        double[][] raw = plain.reset(SEED);
        double[][] obs = wrapped.reset(SEED);
        for (int i = 0; i < ENVS; i++) {
            assertThat(obs[i]).containsExactly(raw[i]);
        }
        for (int step = 0; step < 210; step++) {
            double[][] actions = {{1.0}, {-0.5}};
            VecStep rawStep = plain.step(copy(actions));
            VecStep step2 = wrapped.step(copy(actions));
            for (int i = 0; i < ENVS; i++) {
                assertThat(step2.observations()[i]).containsExactly(rawStep.observations()[i]);
                if (rawStep.done(i)) {
                    assertThat(step2.finalObservations()[i]).containsExactly(rawStep.finalObservations()[i]);
                }
            }
            assertThat(step2.rewards()).containsExactly(rawStep.rewards());
            assertThat(step2.finishedEpisodes()).containsExactlyElementsOf(rawStep.finishedEpisodes());
        }
    }
}

package dev.proxima.ppo.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxima.env.BoxSpace;
import dev.proxima.ppo.Policy;
import dev.proxima.ppo.archive.PolicyArchive;
import dev.proxima.ppo.config.NetworkConfig;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.ppo.distribution.DiagGaussian;
import dev.proxima.vecenv.ObservationNormalizer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The actor-critic for a Box action space: a Gaussian whose log-std is a state-independent
 * learned parameter (SB3's log_std), its archive round trip with an observation normaliser,
 * and {@link Policy#act}'s clipping into the bounds.
 */
class GaussianPolicyTest {

    private static final int OBS = 3;
    private static final int BATCH = 8;
    private static final BoxSpace ACTIONS = BoxSpace.of(new double[] {-2}, new double[] {2});
    private static final float LOG_STD = -0.5f;

    private static ActorCritic create(double learningRate, double logStdInit, long seed) {
        return ActorCritic.create(OBS, ACTIONS,
                PpoConfig.builder().learningRate(learningRate).logStdInit(logStdInit).build(), seed);
    }

    private static float[] observations(long seed, int rows, double scale) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] obs = new float[rows * OBS];
        for (int i = 0; i < obs.length; i++) {
            obs[i] = (float) random.nextDouble(-scale, scale);
        }
        return obs;
    }

    /** One Adam step on made-up output gradients that differ per row, on both mean and log-std. */
    private static void trainOnce(ActorCritic model, float[] obs, int rows, int iteration) {
        model.forward(obs, rows);
        double[] policyGradient = new double[rows * 2];
        double[] valueGradient = new double[rows];
        for (int i = 0; i < rows; i++) {
            policyGradient[2 * i] = 0.1 * (i - 3) + 0.01 * iteration;
            policyGradient[2 * i + 1] = 0.05 * (i % 3 - 1) + 0.03;
            valueGradient[i] = 0.2 - 0.07 * i;
        }
        model.step(policyGradient, valueGradient, rows, 0.5);
    }

    private static float[] column(float[] params, int col) {
        float[] result = new float[params.length / 2];
        for (int i = 0; i < result.length; i++) {
            result[i] = params[2 * i + col];
        }
        return result;
    }

    @Test
    void parametersAreMeanAndAStateIndependentLogStd() {
        ActorCritic model = create(3e-4, LOG_STD, 7);
        assertThat(model.distribution()).isInstanceOf(DiagGaussian.class);
        assertThat(model.distribution().paramSize()).isEqualTo(2);
        assertThat(model.distribution().actionSize()).isEqualTo(1);
        assertThat(model.actionSpace()).isEqualTo(ACTIONS);

        float[] obs = observations(1, 50, 5);
        float[] params = model.policyParameters(obs, 50);
        assertThat(params).hasSize(100);
        for (float logStd : column(params, 1)) {
            assertThat(logStd).isEqualTo(-0.5f);
        }
        // the mean does depend on the observation, and starts small (head gain 0.01)
        float[] means = column(params, 0);
        assertThat(distinct(means)).isGreaterThan(1);
        for (float mean : means) {
            assertThat(Math.abs(mean)).isLessThanOrEqualTo(0.08f);
        }
        // training-mode forward agrees
        float[] trainingParams = model.forward(obs, 50).policyParameters();
        for (float logStd : column(trainingParams, 1)) {
            assertThat(logStd).isEqualTo(-0.5f);
        }
    }

    @Test
    void logStdLearnsButStaysStateIndependent() {
        ActorCritic model = create(3e-4, LOG_STD, 7);
        float[] trainObs = observations(2, BATCH, 3);
        for (int k = 0; k < 5; k++) {
            trainOnce(model, trainObs, BATCH, k);
        }
        float[] probe = observations(3, 40, 10);
        float[] logStds = column(model.policyParameters(probe, 40), 1);
        assertThat(logStds[0]).isNotEqualTo(-0.5f);
        // the summed log-std gradient is positive: gradient descent lowered it
        assertThat(logStds[0]).isLessThan(-0.5f);
        for (float logStd : logStds) {
            assertThat(logStd).isEqualTo(logStds[0]);
        }
        // the same on the training rows and in training mode
        for (float logStd : column(model.forward(trainObs, BATCH).policyParameters(), 1)) {
            assertThat(logStd).isEqualTo(logStds[0]);
        }
        // while the mean stays state-dependent
        assertThat(distinct(column(model.policyParameters(probe, 40), 0))).isGreaterThan(1);
    }

    @Test
    void archiveKeepsTheLogStdStateIndependentWhenTrainingContinues() {
        float[] trainObs = observations(2, BATCH, 3);
        ActorCritic original = create(3e-4, LOG_STD, 7);
        trainOnce(original, trainObs, BATCH, 0);
        trainOnce(original, trainObs, BATCH, 1);
        ActorCritic restored = Policy.fromArchive(new Policy(original, null).toArchive()).model();
        for (int k = 2; k < 6; k++) {
            trainOnce(original, trainObs, BATCH, k);
            trainOnce(restored, trainObs, BATCH, k);
        }
        float[] probe = observations(3, 40, 10);
        assertThat(restored.policyParameters(probe, 40)).containsExactly(original.policyParameters(probe, 40));
        float[] logStds = column(restored.policyParameters(probe, 40), 1);
        for (float logStd : logStds) {
            assertThat(logStd).isEqualTo(logStds[0]);
        }
    }

    private static ObservationNormalizer normalizer() {
        return new ObservationNormalizer(new double[] {0.3, -0.2, 1.5}, new double[] {0.5, 2.0, 4.0}, 1234.5, 5.0, 1e-8);
    }

    private static double[][] rawObservations(long seed, int rows) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] obs = new double[rows][OBS];
        for (double[] row : obs) {
            for (int c = 0; c < OBS; c++) {
                row[c] = random.nextDouble(-20, 20);
            }
        }
        return obs;
    }

    @Test
    void archiveRoundTripKeepsActionsBoundsAndNormalizer() {
        ActorCritic model = create(3e-4, LOG_STD, 11);
        float[] trainObs = observations(2, BATCH, 3);
        for (int k = 0; k < 3; k++) {
            trainOnce(model, trainObs, BATCH, k);
        }
        ObservationNormalizer normalizer = normalizer();
        Policy original = new Policy(model, normalizer);
        byte[] archive = original.toArchive();
        Policy restored = Policy.fromArchive(archive);

        assertThat(restored.actionSpace()).isEqualTo(ACTIONS);
        BoxSpace box = (BoxSpace) restored.actionSpace();
        assertThat(box.low()).containsExactly(-2);
        assertThat(box.high()).containsExactly(2);
        assertThat(restored.observationSize()).isEqualTo(OBS);
        assertThat(restored.actionSize()).isEqualTo(1);

        // the normaliser's fields, exactly
        ObservationNormalizer read = PolicyArchive.read(archive, true).normalizer();
        assertThat(read).isNotNull();
        assertThat(read.mean()).containsExactly(normalizer.mean());
        assertThat(read.var()).containsExactly(normalizer.var());
        assertThat(read.count()).isEqualTo(normalizer.count());
        assertThat(read.clip()).isEqualTo(normalizer.clip());
        assertThat(read.epsilon()).isEqualTo(normalizer.epsilon());

        double[][] raw = rawObservations(5, 30);
        // deterministic and sampled actions are identical
        assertThat(restored.act(raw, null, true, null)).containsExactly(original.act(raw, null, true, null));
        assertThat(restored.act(raw, null, false, new SplittableRandom(9)))
                .containsExactly(original.act(raw, null, false, new SplittableRandom(9)));

        // act normalises the raw observations first: equal to the model on normalised input ...
        float[] normalizedInput = new float[raw.length * OBS];
        double[] target = new double[OBS];
        for (int r = 0; r < raw.length; r++) {
            normalizer.normalize(raw[r], target);
            for (int c = 0; c < OBS; c++) {
                normalizedInput[r * OBS + c] = (float) target[c];
            }
        }
        assertThat(restored.act(raw, null, true, null)).containsExactly(model.act(normalizedInput, raw.length, null, true, null));
        // ... and the normaliser matters: without it the actions differ
        double[] withoutNormalizer = new Policy(model, null).act(raw, null, true, null);
        assertThat(restored.act(raw, null, true, null)).isNotEqualTo(withoutNormalizer);
        // a policy saved without a normaliser comes back without one
        assertThat(Policy.fromArchive(new Policy(model, null).toArchive()).act(raw, null, true, null))
                .containsExactly(withoutNormalizer);
    }

    @Test
    void sampledActionsAreClippedIntoTheBox() {
        // std = e^1.5 ~ 4.5: most samples fall outside [-2, 2]
        ActorCritic model = create(3e-4, 1.5, 13);
        Policy policy = new Policy(model, normalizer());
        double[][] raw = rawObservations(6, 2000);
        double[] actions = policy.act(raw, null, false, new SplittableRandom(21));
        assertThat(actions).hasSize(2000);
        int atLow = 0;
        int atHigh = 0;
        int inside = 0;
        for (double a : actions) {
            assertThat(a).isBetween(-2.0, 2.0);
            if (a == -2.0) {
                atLow++;
            } else if (a == 2.0) {
                atHigh++;
            } else {
                inside++;
            }
        }
        // P(|N(0, 4.48)| > 2) ~ 0.66
        assertThat(atLow).isGreaterThan(500);
        assertThat(atHigh).isGreaterThan(500);
        assertThat(inside).isGreaterThan(500);

        // the distribution itself samples unclipped: the same draws before clipping exceed the bounds
        float[] params = model.policyParameters(toInput(raw, normalizer()), raw.length);
        SplittableRandom random = new SplittableRandom(21);
        double[] unclipped = new double[raw.length];
        for (int r = 0; r < raw.length; r++) {
            model.distribution().sample(params, 2 * r, random, unclipped, r);
            assertThat(actions[r]).isEqualTo(Math.max(-2, Math.min(2, unclipped[r])));
        }
    }

    @Test
    void deterministicActionsAreClippedWhenTheMeanLeavesTheBox() {
        // a high learning rate and a constant push on the mean drive it above the bound
        ActorCritic model = create(0.05, LOG_STD, 17);
        float[] trainObs = observations(2, BATCH, 1);
        for (int k = 0; k < 200; k++) {
            model.forward(trainObs, BATCH);
            double[] policyGradient = new double[BATCH * 2];
            for (int i = 0; i < BATCH; i++) {
                policyGradient[2 * i] = -1.0; // descent raises the mean
            }
            model.step(policyGradient, new double[BATCH], BATCH, 100);
        }
        double[][] raw = new double[BATCH][OBS];
        for (int r = 0; r < BATCH; r++) {
            for (int c = 0; c < OBS; c++) {
                raw[r][c] = trainObs[r * OBS + c];
            }
        }
        float[] params = model.policyParameters(trainObs, BATCH);
        for (float mean : column(params, 0)) {
            assertThat(mean).isGreaterThan(2.0f);
        }
        double[] actions = new Policy(model, null).act(raw, null, true, null);
        assertThat(actions).containsOnly(2.0);
        // the log-std had no gradient and stays at its initial value
        for (float logStd : column(params, 1)) {
            assertThat(logStd).isEqualTo(-0.5f);
        }
    }

    private static float[] toInput(double[][] raw, ObservationNormalizer normalizer) {
        float[] input = new float[raw.length * OBS];
        double[] target = new double[OBS];
        for (int r = 0; r < raw.length; r++) {
            normalizer.normalize(raw[r], target);
            for (int c = 0; c < OBS; c++) {
                input[r * OBS + c] = (float) target[c];
            }
        }
        return input;
    }

    private static long distinct(float[] values) {
        java.util.Set<Float> set = new java.util.HashSet<>();
        for (float v : values) {
            set.add(v);
        }
        return set.size();
    }
}

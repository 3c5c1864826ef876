package dev.proxima.ppo.distribution;

import static dev.proxima.ppo.FiniteDifferences.assertClose;
import static dev.proxima.ppo.FiniteDifferences.finiteDifferences;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.proxima.env.BoxSpace;
import dev.proxima.env.HybridSpace;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * gym-hybrid's action space: types accelerate (uses parameter 0), turn (uses parameter 1) and
 * break (uses none); log-prob, entropy and KL against closed forms written out here, their
 * gradients against finite differences, with and without a type mask.
 */
class HybridDistributionTest {

    private static final HybridSpace SPACE = new HybridSpace(3, BoxSpace.of(new double[] {0, -1}, new double[] {1, 1}),
            new boolean[][] {{true, false}, {false, true}, {false, false}});
    private static final HybridDistribution DISTRIBUTION = new HybridDistribution(SPACE);
    /** logits (3), means (2), log-stds (2). */
    private static final float[] PARAMS = {0.4f, -0.7f, 1.1f, 0.3f, -0.2f, -0.5f, 0.25f};
    private static final float[] OLD_PARAMS = {0.1f, -0.2f, 0.9f, 0.5f, 0.1f, -0.3f, 0.0f};
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private static double[] softmax(float[] params) {
        double z = 0;
        for (int k = 0; k < 3; k++) {
            z += Math.exp(params[k]);
        }
        double[] p = new double[3];
        for (int k = 0; k < 3; k++) {
            p[k] = Math.exp(params[k]) / z;
        }
        return p;
    }

    private static double gaussianLogDensity(double x, double mean, double logStd) {
        double z = (x - mean) / Math.exp(logStd);
        return -0.5 * z * z - logStd - LOG_SQRT_2PI;
    }

    @Test
    void sizesAndLayout() {
        assertThat(DISTRIBUTION.paramSize()).isEqualTo(7);
        assertThat(DISTRIBUTION.actionSize()).isEqualTo(3);
        assertThat(DISTRIBUTION.maskSize()).isEqualTo(3);
        assertThat(DISTRIBUTION.logStdFrom()).isEqualTo(5);
        assertThat(DISTRIBUTION.gaussianDimensions()).isEqualTo(2);
        assertThat(ActionDistributions.forSpace(SPACE)).isInstanceOf(HybridDistribution.class);
        assertThat(DISTRIBUTION.heads()).containsExactly("type", "parameters");
    }

    @Test
    void logProbCountsOnlyTheChosenTypesParameters() {
        double[] p = softmax(PARAMS);
        double[] accelerate = {0, 0.8, 5.0};
        double[] turn = {1, 123.0, -0.6};
        double[] brake = {2, 0.4, 0.9};

        assertThat(DISTRIBUTION.logProb(PARAMS, 0, accelerate, 0))
                .isCloseTo(Math.log(p[0]) + gaussianLogDensity(0.8, 0.3, -0.5), within(1e-6));
        assertThat(DISTRIBUTION.logProb(PARAMS, 0, turn, 0))
                .isCloseTo(Math.log(p[1]) + gaussianLogDensity(-0.6, -0.2, 0.25), within(1e-6));
        // float parameters: the closed forms here take 0.3 for 0.3f, a relative 1e-8 apart
        assertThat(DISTRIBUTION.logProb(PARAMS, 0, brake, 0)).isCloseTo(Math.log(p[2]), within(1e-6));
        // the heads add up
        for (double[] action : new double[][] {accelerate, turn, brake}) {
            assertThat(DISTRIBUTION.headLogProb(PARAMS, 0, action, 0, 0)
                    + DISTRIBUTION.headLogProb(PARAMS, 0, action, 0, 1))
                    .isCloseTo(DISTRIBUTION.logProb(PARAMS, 0, action, 0), within(1e-12));
        }
    }

    @Test
    void entropyIsTheTypesPlusTheExpectedEntropyOfTheUsedParameters() {
        double[] p = softmax(PARAMS);
        double typeEntropy = -(p[0] * Math.log(p[0]) + p[1] * Math.log(p[1]) + p[2] * Math.log(p[2]));
        double h0 = 0.5 + LOG_SQRT_2PI - 0.5;
        double h1 = 0.5 + LOG_SQRT_2PI + 0.25;
        double expected = typeEntropy + p[0] * h0 + p[1] * h1;

        assertThat(DISTRIBUTION.entropy(PARAMS, 0)).isCloseTo(expected, within(1e-6));
        assertThat(DISTRIBUTION.headEntropy(PARAMS, 0, 0)).isCloseTo(typeEntropy, within(1e-6));
        assertThat(DISTRIBUTION.headEntropy(PARAMS, 0, 1)).isCloseTo(p[0] * h0 + p[1] * h1, within(1e-6));
    }

    @Test
    void klIsTheTypesPlusEachUsedParametersWeightedByTheOldTypeProbabilities() {
        double[] oldP = softmax(OLD_PARAMS);
        double[] p = softmax(PARAMS);
        double typeKl = 0;
        for (int k = 0; k < 3; k++) {
            typeKl += oldP[k] * Math.log(oldP[k] / p[k]);
        }
        double kl0 = gaussianKl(0.5, -0.3, 0.3, -0.5);
        double kl1 = gaussianKl(0.1, 0.0, -0.2, 0.25);

        assertThat(DISTRIBUTION.kl(OLD_PARAMS, 0, PARAMS, 0))
                .isCloseTo(typeKl + oldP[0] * kl0 + oldP[1] * kl1, within(1e-6));
        assertThat(DISTRIBUTION.kl(PARAMS, 0, PARAMS, 0)).isCloseTo(0.0, within(1e-12));
    }

    /** KL(N(m0, s0) || N(m1, s1)) from log-stds. */
    private static double gaussianKl(double m0, double logS0, double m1, double logS1) {
        double s0 = Math.exp(logS0);
        double s1 = Math.exp(logS1);
        return Math.log(s1 / s0) + (s0 * s0 + (m0 - m1) * (m0 - m1)) / (2 * s1 * s1) - 0.5;
    }

    private static float[] masked(float[] params, boolean... mask) {
        float[] copy = params.clone();
        DISTRIBUTION.applyMask(copy, 0, mask, 0);
        return copy;
    }

    @ParameterizedTest(name = "type {0}")
    @ValueSource(ints = {0, 1, 2})
    void logProbAndEntropyGradientsMatchFiniteDifferences(int type) {
        double[] action = {type, 0.8, -0.6};
        double dLogProb = -0.7;
        double dEntropy = 0.3;
        double[] analytic = new double[PARAMS.length];
        DISTRIBUTION.accumulateGradient(PARAMS, 0, action, 0, dLogProb, dEntropy, analytic);

        double[] numeric = finiteDifferences(PARAMS, q -> dLogProb * DISTRIBUTION.logProb(q, 0, action, 0)
                + dEntropy * DISTRIBUTION.entropy(q, 0));

        assertClose(analytic, numeric);
    }

    @Test
    void maskedGradientsMatchFiniteDifferencesOverTheLegalTypes() {
        // turning is illegal: its probability is 0, its parameter drops out of the entropy
        boolean[] mask = {true, false, true};
        double[] action = {0, 0.8, -0.6};
        float[] maskedParams = masked(PARAMS, mask);
        double[] analytic = new double[PARAMS.length];
        DISTRIBUTION.accumulateGradient(maskedParams, 0, action, 0, 0.5, 0.2, analytic);

        double[] numeric = finiteDifferences(PARAMS, q -> {
            float[] m = masked(q, mask);
            return 0.5 * DISTRIBUTION.logProb(m, 0, action, 0) + 0.2 * DISTRIBUTION.entropy(m, 0);
        });
        // the masked logit gets no gradient (its value is overwritten by the mask, so none is due)
        assertThat(analytic[1]).isZero();
        assertClose(analytic, numeric);
        assertThat(DISTRIBUTION.typeProbabilities(maskedParams, 0)[1]).isZero();
        double p0 = Math.exp(0.4) / (Math.exp(0.4) + Math.exp(1.1));
        assertThat(DISTRIBUTION.parameterEntropy(maskedParams, 0))
                .isCloseTo(p0 * (0.5 + LOG_SQRT_2PI - 0.5), within(1e-6));
    }

    @Test
    void klGradientMatchesFiniteDifferences() {
        double[] analytic = new double[PARAMS.length];
        DISTRIBUTION.accumulateKlGradient(OLD_PARAMS, 0, PARAMS, 0, 0.8, analytic);
        assertClose(analytic, finiteDifferences(PARAMS, q -> 0.8 * DISTRIBUTION.kl(OLD_PARAMS, 0, q, 0)));
    }

    @Test
    void samplesFollowTheTypeProbabilitiesAndTheGaussian() {
        SplittableRandom random = new SplittableRandom(3);
        double[] p = softmax(PARAMS);
        int[] counts = new int[3];
        double meanOfParameter0 = 0;
        int samples = 200_000;
        double[] action = new double[3];
        for (int i = 0; i < samples; i++) {
            DISTRIBUTION.sample(PARAMS, 0, random, action, 0);
            counts[(int) action[0]]++;
            meanOfParameter0 += action[1];
        }
        for (int k = 0; k < 3; k++) {
            assertThat((double) counts[k] / samples).isCloseTo(p[k], within(0.005));
        }
        assertThat(meanOfParameter0 / samples).isCloseTo(0.3, within(0.005));

        double[] mode = new double[3];
        DISTRIBUTION.mode(PARAMS, 0, mode, 0);
        assertThat(mode).containsExactly(new double[] {2, 0.3, -0.2}, within(1e-7));

        boolean[] noBrake = {true, true, false};
        float[] maskedParams = masked(PARAMS, noBrake);
        for (int i = 0; i < 1000; i++) {
            DISTRIBUTION.sample(maskedParams, 0, random, action, 0);
            assertThat(action[0]).isNotEqualTo(2.0);
        }
    }
}

package dev.proxima.ppo.distribution;

import static dev.proxima.ppo.FiniteDifferences.assertClose;
import static dev.proxima.ppo.FiniteDifferences.finiteDifferences;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.proxima.env.MultiDiscreteSpace;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** MultiDiscrete([3, 2]): a 3-way and a 2-way categorical over 5 concatenated logits. */
class MultiCategoricalTest {

    private static final MultiCategorical DISTRIBUTION = new MultiCategorical(new int[] {3, 2});
    private static final float[] LOGITS = {0.5f, -1.0f, 2.0f, /* second dimension */ 0.3f, -0.4f};

    private static double[] logSoftmax(float[] logits, int from, int to) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = from; j < to; j++) {
            max = Math.max(max, logits[j]);
        }
        double sum = 0;
        for (int j = from; j < to; j++) {
            sum += Math.exp(logits[j] - max);
        }
        double logZ = max + Math.log(sum);
        double[] logP = new double[to - from];
        for (int j = from; j < to; j++) {
            logP[j - from] = logits[j] - logZ;
        }
        return logP;
    }

    private static double entropyOf(double[] logP) {
        return -Arrays.stream(logP).map(l -> l == Double.NEGATIVE_INFINITY ? 0 : Math.exp(l) * l).sum();
    }

    private static float[] masked(float[] logits, boolean... mask) {
        float[] copy = logits.clone();
        DISTRIBUTION.applyMask(copy, 0, mask, 0);
        return copy;
    }

    @Test
    void sizesFollowNvecAndTheSpaceMapsToIt() {
        assertThat(DISTRIBUTION.paramSize()).isEqualTo(5);
        assertThat(DISTRIBUTION.actionSize()).isEqualTo(2);
        assertThat(DISTRIBUTION.maskSize()).isEqualTo(5);
        assertThat(DISTRIBUTION.nvec()).containsExactly(3, 2);

        ActionDistribution forSpace = ActionDistributions.forSpace(new MultiDiscreteSpace(new int[] {4, 1, 2}));
        assertThat(forSpace).isInstanceOf(MultiCategorical.class);
        assertThat(forSpace.paramSize()).isEqualTo(7);
        assertThat(forSpace.actionSize()).isEqualTo(3);
        assertThatThrownBy(() -> new MultiCategorical(new int[] {2, 0})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void logProbIsTheSumOfEachDimensionsLogSoftmax() {
        double[] first = logSoftmax(LOGITS, 0, 3);
        double[] second = logSoftmax(LOGITS, 3, 5);
        double total = 0;
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 2; b++) {
                double logProb = DISTRIBUTION.logProb(LOGITS, 0, new double[] {a, b}, 0);
                assertThat(logProb).as("action (%d, %d)", a, b).isCloseTo(first[a] + second[b], within(1e-12));
                total += Math.exp(logProb);
            }
        }
        assertThat(total).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void logProbReadsTheRowAndActionAtTheirOffsets() {
        float[] rows = new float[10];
        Arrays.fill(rows, 0, 5, 9f);
        System.arraycopy(LOGITS, 0, rows, 5, 5);
        double[] actions = {7, 2, 1};

        assertThat(DISTRIBUTION.logProb(rows, 5, actions, 1))
                .isCloseTo(logSoftmax(LOGITS, 0, 3)[2] + logSoftmax(LOGITS, 3, 5)[1], within(1e-12));
    }

    @Test
    void entropyIsTheSumOfTheDimensionsEntropies() {
        double expected = entropyOf(logSoftmax(LOGITS, 0, 3)) + entropyOf(logSoftmax(LOGITS, 3, 5));

        assertThat(DISTRIBUTION.entropy(LOGITS, 0)).isCloseTo(expected, within(1e-12));
        float[] uniform = new float[5];
        assertThat(DISTRIBUTION.entropy(uniform, 0)).isCloseTo(Math.log(3) + Math.log(2), within(1e-12));
    }

    @Test
    void modeIsEachDimensionsArgmax() {
        double[] action = new double[2];

        DISTRIBUTION.mode(LOGITS, 0, action, 0);

        assertThat(action).containsExactly(2, 0);
    }

    @Test
    void sampleFrequenciesMatchTheProductOfTheDimensionsProbabilities() {
        double[] first = Arrays.stream(logSoftmax(LOGITS, 0, 3)).map(Math::exp).toArray();
        double[] second = Arrays.stream(logSoftmax(LOGITS, 3, 5)).map(Math::exp).toArray();
        SplittableRandom random = new SplittableRandom(7);
        int samples = 200_000;
        int[][] counts = new int[3][2];
        double[] action = new double[2];
        for (int s = 0; s < samples; s++) {
            DISTRIBUTION.sample(LOGITS, 0, random, action, 0);
            counts[(int) action[0]][(int) action[1]]++;
        }

        double chiSquare = 0;
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 2; b++) {
                double expected = first[a] * second[b] * samples;
                chiSquare += (counts[a][b] - expected) * (counts[a][b] - expected) / expected;
            }
        }
        // 5 degrees of freedom: P(chi2 > 20.52) = 0.001
        assertThat(chiSquare).isLessThan(20.52);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        float[] rows = {0.4f, -0.3f, 0.9f, 0.2f, -0.6f, /* row 1 */ -0.1f, 0.7f, 0.0f, 1.1f, 0.5f};
        double[] actions = {0, 1, 2, 0};
        double dLogProb = 0.7;
        double dEntropy = -0.2;
        double[] analytic = new double[rows.length];
        for (int r = 0; r < 2; r++) {
            DISTRIBUTION.accumulateGradient(rows, 5 * r, actions, 2 * r, dLogProb, dEntropy, analytic);
        }

        double[] numeric = finiteDifferences(rows, p -> {
            double loss = 0;
            for (int r = 0; r < 2; r++) {
                loss += dLogProb * DISTRIBUTION.logProb(p, 5 * r, actions, 2 * r) + dEntropy * DISTRIBUTION.entropy(p, 5 * r);
            }
            return loss;
        });
        assertClose(analytic, numeric);
    }

    @Test
    void klIsTheSumOfTheDimensionsKls() {
        float[] current = {0.1f, 0.3f, -0.5f, -0.2f, 0.4f};
        double expected = 0;
        for (int[] range : new int[][] {{0, 3}, {3, 5}}) {
            double[] p = logSoftmax(LOGITS, range[0], range[1]);
            double[] q = logSoftmax(current, range[0], range[1]);
            for (int j = 0; j < p.length; j++) {
                expected += Math.exp(p[j]) * (p[j] - q[j]);
            }
        }

        assertThat(DISTRIBUTION.kl(LOGITS, 0, current, 0)).isCloseTo(expected, within(1e-12));
        assertThat(DISTRIBUTION.kl(LOGITS, 0, LOGITS, 0)).isCloseTo(0.0, within(1e-15));
    }

    @Test
    void klGradientMatchesFiniteDifferences() {
        float[] current = {0.1f, 0.3f, -0.5f, -0.2f, 0.4f};
        double coefficient = 1.7;
        double[] analytic = new double[5];
        DISTRIBUTION.accumulateKlGradient(LOGITS, 0, current, 0, coefficient, analytic);

        assertClose(analytic, finiteDifferences(current, p -> coefficient * DISTRIBUTION.kl(LOGITS, 0, p, 0)));
    }

    @Test
    void maskedChoicesAreNeverSampledOrChosen() {
        // dimension 0 allows 0 and 1 (not its argmax 2); dimension 1 allows only 1
        float[] logits = masked(LOGITS, true, true, false, false, true);
        SplittableRandom random = new SplittableRandom(3);
        double[] action = new double[2];
        int[] firstCounts = new int[3];
        for (int s = 0; s < 100_000; s++) {
            DISTRIBUTION.sample(logits, 0, random, action, 0);
            firstCounts[(int) action[0]]++;
            assertThat(action[1]).isEqualTo(1.0);
        }
        assertThat(firstCounts[2]).isZero();
        double shareOf0 = Math.exp(0.5) / (Math.exp(0.5) + Math.exp(-1.0));
        assertThat(firstCounts[0] / 100_000.0).isCloseTo(shareOf0, within(0.01));

        DISTRIBUTION.mode(logits, 0, action, 0);
        assertThat(action).containsExactly(0, 1);
    }

    @Test
    void maskedLogProbAndEntropyAreOverTheLegalChoicesOnly() {
        float[] logits = masked(LOGITS, true, false, true, true, true);
        // dimension 0 renormalised over choices 0 and 2; dimension 1 unmasked
        double z = Math.exp(0.5f) + Math.exp(2.0f);
        double p0 = Math.exp(0.5f) / z;
        double p2 = Math.exp(2.0f) / z;
        double[] second = logSoftmax(LOGITS, 3, 5);

        assertThat(DISTRIBUTION.logProb(logits, 0, new double[] {2, 0}, 0))
                .isCloseTo(Math.log(p2) + second[0], within(1e-12));
        assertThat(DISTRIBUTION.entropy(logits, 0))
                .isCloseTo(-(p0 * Math.log(p0) + p2 * Math.log(p2)) + entropyOf(second), within(1e-12));

        double[] gradient = new double[5];
        DISTRIBUTION.accumulateGradient(logits, 0, new double[] {2, 0}, 0, 1.0, 0.5, gradient);
        assertThat(gradient[1]).isZero();
        assertThat(gradient[0]).isNotZero();
        assertThat(gradient[3]).isNotZero();
    }
}

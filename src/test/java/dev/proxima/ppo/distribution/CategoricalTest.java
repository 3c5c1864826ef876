package dev.proxima.ppo.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CategoricalTest {

    private static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float z : logits) {
            max = Math.max(max, z);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int j = 0; j < logits.length; j++) {
            p[j] = Math.exp(logits[j] - max);
            sum += p[j];
        }
        for (int j = 0; j < logits.length; j++) {
            p[j] /= sum;
        }
        return p;
    }

    @Test
    void logProbIsLogSoftmax() {
        Categorical c = new Categorical(4);
        float[] logits = {0.5f, -1.0f, 2.0f, 0.0f};
        // log softmax(z)_a = z_a - log(sum_j exp z_j)
        double logZ = Math.log(Math.exp(0.5) + Math.exp(-1.0) + Math.exp(2.0) + Math.exp(0.0));
        for (int a = 0; a < 4; a++) {
            double logProb = c.logProb(logits, 0, new double[] {a}, 0);
            assertThat(logProb).as("action %d", a).isCloseTo(logits[a] - logZ, within(1e-12));
        }
        // probabilities sum to one
        double total = 0;
        for (int a = 0; a < 4; a++) {
            total += Math.exp(c.logProb(logits, 0, new double[] {a}, 0));
        }
        assertThat(total).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void logProbReadsTheRowAndActionAtTheirOffsets() {
        Categorical c = new Categorical(3);
        float[] logits = {9f, 9f, 9f, 1.0f, 0.0f, -1.0f};
        double[] actions = {2, 0};
        double logZ = Math.log(Math.exp(1.0) + 1.0 + Math.exp(-1.0));

        assertThat(c.logProb(logits, 3, actions, 1)).isCloseTo(1.0 - logZ, within(1e-12));
        assertThat(c.logProb(logits, 3, actions, 0)).isCloseTo(-1.0 - logZ, within(1e-12));
    }

    @Test
    void entropyIsMinusSumPLogP() {
        Categorical c = new Categorical(3);
        float[] logits = {0.3f, -0.7f, 1.2f};
        double[] p = softmax(logits);
        double expected = -(p[0] * Math.log(p[0]) + p[1] * Math.log(p[1]) + p[2] * Math.log(p[2]));

        assertThat(c.entropy(logits, 0)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void uniformLogitsHaveEntropyLogN() {
        for (int n : new int[] {1, 2, 3, 7}) {
            Categorical c = new Categorical(n);
            float[] logits = new float[n];
            java.util.Arrays.fill(logits, 3.5f);
            assertThat(c.entropy(logits, 0)).as("n = %d", n).isCloseTo(Math.log(n), within(1e-12));
        }
    }

    @Test
    void oneDominantLogitHasEntropyNearZero() {
        Categorical c = new Categorical(3);

        double entropy = c.entropy(new float[] {30f, 0f, 0f}, 0);

        assertThat(entropy).isGreaterThanOrEqualTo(0.0).isLessThan(1e-10);
    }

    @Test
    void modeIsArgmax() {
        Categorical c = new Categorical(4);
        double[] action = new double[1];

        c.mode(new float[] {0.1f, 3.0f, -2.0f, 2.9f}, 0, action, 0);
        assertThat(action[0]).isEqualTo(1.0);

        c.mode(new float[] {-5f, -4f, -3f, -0.5f}, 0, action, 0);
        assertThat(action[0]).isEqualTo(3.0);

        c.mode(new float[] {8f, 1f, 1f, 1f, /* next row */ 0f, 0f, 0f, 1f}, 4, action, 0);
        assertThat(action[0]).isEqualTo(3.0);
    }

    @Test
    void sampleFrequenciesMatchSoftmaxProbabilities() {
        Categorical c = new Categorical(4);
        float[] logits = {0.5f, -1.0f, 2.0f, 0.0f};
        double[] p = softmax(logits);
        SplittableRandom random = new SplittableRandom(12345);
        int samples = 200_000;
        int[] counts = new int[4];
        double[] action = new double[1];

        for (int s = 0; s < samples; s++) {
            c.sample(logits, 0, random, action, 0);
            counts[(int) action[0]]++;
        }

        double chiSquare = 0;
        for (int j = 0; j < 4; j++) {
            double frequency = (double) counts[j] / samples;
            double sigma = Math.sqrt(p[j] * (1 - p[j]) / samples);
            assertThat(frequency).as("action %d, p = %s", j, p[j]).isCloseTo(p[j], within(5 * sigma));
            double expected = p[j] * samples;
            chiSquare += (counts[j] - expected) * (counts[j] - expected) / expected;
        }
        // 3 degrees of freedom: P(chi2 > 16.27) = 0.001
        assertThat(chiSquare).isLessThan(16.27);
    }

    @Test
    void samplingIsReproducibleWithTheSameSeed() {
        Categorical c = new Categorical(3);
        float[] logits = {0.0f, 0.1f, -0.2f};
        SplittableRandom first = new SplittableRandom(99);
        SplittableRandom second = new SplittableRandom(99);
        double[] a = new double[1];
        double[] b = new double[1];
        for (int s = 0; s < 1000; s++) {
            c.sample(logits, 0, first, a, 0);
            c.sample(logits, 0, second, b, 0);
            assertThat(a[0]).isEqualTo(b[0]);
        }
    }

    @Test
    void neverSamplesAnActionOfProbabilityZero() {
        Categorical c = new Categorical(3);
        float[] logits = {0f, Float.NEGATIVE_INFINITY, 0f};
        SplittableRandom random = new SplittableRandom(1);
        double[] action = new double[1];
        for (int s = 0; s < 10_000; s++) {
            c.sample(logits, 0, random, action, 0);
            assertThat(action[0]).isNotEqualTo(1.0);
        }
    }

    @Test
    void largeLogitsAreNumericallyStable() {
        Categorical c = new Categorical(2);
        float[] logits = {1000f, 0f};

        assertThat(c.logProb(logits, 0, new double[] {0}, 0)).isCloseTo(0.0, within(1e-12));
        assertThat(c.logProb(logits, 0, new double[] {1}, 0)).isCloseTo(-1000.0, within(1e-9));
        assertThat(c.entropy(logits, 0)).isFinite().isGreaterThanOrEqualTo(0.0).isLessThan(1e-12);

        double[] action = new double[1];
        SplittableRandom random = new SplittableRandom(3);
        for (int s = 0; s < 1000; s++) {
            c.sample(logits, 0, random, action, 0);
            assertThat(action[0]).isEqualTo(0.0);
        }

        double[] gradient = new double[2];
        c.accumulateGradient(logits, 0, new double[] {1}, 0, 1.0, 1.0, gradient);
        assertThat(gradient[0]).isFinite();
        assertThat(gradient[1]).isFinite();
        // d logp(1)/dz = 1[j=1] - p: (-1, 1) when p = (1, 0)
        assertThat(gradient[0]).isCloseTo(-1.0, within(1e-9));
        assertThat(gradient[1]).isCloseTo(1.0, within(1e-9));

        float[] tied = {1000f, 1000f};
        assertThat(c.logProb(tied, 0, new double[] {1}, 0)).isCloseTo(-Math.log(2), within(1e-12));
        assertThat(c.entropy(tied, 0)).isCloseTo(Math.log(2), within(1e-12));

        float[] negative = {-1000f, -1001f};
        assertThat(c.logProb(negative, 0, new double[] {0}, 0))
                .isCloseTo(-Math.log(1 + Math.exp(-1)), within(1e-12));
    }

    @Test
    void gradientIsTheClosedForm() {
        Categorical c = new Categorical(3);
        float[] logits = {0.4f, -0.3f, 0.9f};
        double[] p = softmax(logits);
        double h = -(p[0] * Math.log(p[0]) + p[1] * Math.log(p[1]) + p[2] * Math.log(p[2]));
        double dLogProb = 0.7;
        double dEntropy = -0.2;
        double[] gradient = {10, 20, 30}; // accumulates, does not overwrite

        c.accumulateGradient(logits, 0, new double[] {1}, 0, dLogProb, dEntropy, gradient);

        for (int j = 0; j < 3; j++) {
            double expected = (j == 0 ? 10 : j == 1 ? 20 : 30)
                    + dLogProb * ((j == 1 ? 1 : 0) - p[j])
                    + dEntropy * (-p[j] * (Math.log(p[j]) + h));
            assertThat(gradient[j]).as("logit %d", j).isCloseTo(expected, within(1e-12));
        }
    }

    @Test
    void sizesAndValidation() {
        Categorical c = new Categorical(5);
        assertThat(c.paramSize()).isEqualTo(5);
        assertThat(c.actionSize()).isEqualTo(1);
        assertThat(c.n()).isEqualTo(5);
        assertThatThrownBy(() -> new Categorical(0)).isInstanceOf(IllegalArgumentException.class);
    }
}

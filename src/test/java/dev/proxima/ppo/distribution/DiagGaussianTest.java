package dev.proxima.ppo.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link DiagGaussian} against independent computations: the density written as
 * log(exp(-(a-mu)^2 / (2 sigma^2)) / (sigma sqrt(2 pi))), the closed-form entropy, sampling
 * statistics, and central finite differences of the gradient.
 */
class DiagGaussianTest {

    private static final double H = 1e-3;

    /** log N(a; mu, sigma) for one dimension, computed as the log of the density itself. */
    private static double logDensity(double a, double mu, double logStd) {
        double sigma = Math.exp(logStd);
        double density = Math.exp(-(a - mu) * (a - mu) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
        return Math.log(density);
    }

    /** The formula as the brief writes it: sum_j [-(a-mu)^2/(2 sigma^2) - log sigma - 0.5 log 2pi]. */
    private static double closedFormLogProb(float[] params, int offset, double[] actions, int actionOffset, int d) {
        double sum = 0;
        for (int j = 0; j < d; j++) {
            double mu = params[offset + j];
            double logSigma = params[offset + d + j];
            double sigma = Math.exp(logSigma);
            double diff = actions[actionOffset + j] - mu;
            sum += -diff * diff / (2 * sigma * sigma) - logSigma - 0.5 * Math.log(2 * Math.PI);
        }
        return sum;
    }

    @Test
    void logProbInOneDimensionIsTheGaussianLogDensity() {
        DiagGaussian g = new DiagGaussian(1);
        float[][] paramSets = {{0.0f, 0.0f}, {0.3f, -0.5f}, {-1.2f, 0.7f}, {2.0f, -2.0f}};
        double[] actionValues = {-1.5, -0.1, 0.0, 0.3, 1.9, 4.0};
        for (float[] params : paramSets) {
            for (double a : actionValues) {
                double logProb = g.logProb(params, 0, new double[] {a}, 0);
                assertThat(logProb).as("params %s, a %s", Arrays.toString(params), a)
                        .isCloseTo(logDensity(a, params[0], params[1]), within(1e-10))
                        .isCloseTo(closedFormLogProb(params, 0, new double[] {a}, 0, 1), within(1e-12));
            }
        }
        // a standard normal at its mean: -0.5 log(2 pi)
        assertThat(g.logProb(new float[] {0f, 0f}, 0, new double[] {0}, 0))
                .isCloseTo(-0.5 * Math.log(2 * Math.PI), within(1e-15));
    }

    @Test
    void logProbInThreeDimensionsIsTheSumOverDimensions() {
        DiagGaussian g = new DiagGaussian(3);
        // two rows, the second one is read at its offsets
        float[] params = {
            9f, 9f, 9f, 9f, 9f, 9f,
            0.4f, -0.3f, 1.1f, -0.5f, 0.2f, -1.0f,
        };
        double[] actions = {7, 7, 7, 0.1, 0.5, 0.9};
        double logProb = g.logProb(params, 6, actions, 3);

        double expected = logDensity(0.1, 0.4f, -0.5f) + logDensity(0.5, -0.3f, 0.2f) + logDensity(0.9, 1.1f, -1.0f);
        assertThat(logProb).isCloseTo(expected, within(1e-10));
        assertThat(logProb).isCloseTo(closedFormLogProb(params, 6, actions, 3, 3), within(1e-12));
        // and equal to three independent one-dimensional Gaussians
        DiagGaussian one = new DiagGaussian(1);
        double sum = one.logProb(new float[] {0.4f, -0.5f}, 0, new double[] {0.1}, 0)
                + one.logProb(new float[] {-0.3f, 0.2f}, 0, new double[] {0.5}, 0)
                + one.logProb(new float[] {1.1f, -1.0f}, 0, new double[] {0.9}, 0);
        assertThat(logProb).isCloseTo(sum, within(1e-12));
    }

    @Test
    void densityIntegratesToOne() {
        // trapezoid rule over +-10 sigma for a 1-d Gaussian: the normalising constant is right
        DiagGaussian g = new DiagGaussian(1);
        float[] params = {0.7f, -0.4f};
        double sigma = Math.exp(-0.4f);
        int steps = 200_000;
        double lo = 0.7f - 10 * sigma;
        double hi = 0.7f + 10 * sigma;
        double dx = (hi - lo) / steps;
        double total = 0;
        for (int k = 0; k <= steps; k++) {
            double w = k == 0 || k == steps ? 0.5 : 1.0;
            total += w * Math.exp(g.logProb(params, 0, new double[] {lo + k * dx}, 0));
        }
        assertThat(total * dx).isCloseTo(1.0, within(1e-8));
    }

    @Test
    void entropyIsTheClosedFormSummedOverDimensions() {
        DiagGaussian g1 = new DiagGaussian(1);
        DiagGaussian g3 = new DiagGaussian(3);
        float[] p1 = {5f, -0.5f};
        assertThat(g1.entropy(p1, 0)).isCloseTo(0.5 + 0.5 * Math.log(2 * Math.PI) - 0.5, within(1e-12));
        // standard normal: 0.5 log(2 pi e)
        assertThat(g1.entropy(new float[] {0f, 0f}, 0)).isCloseTo(0.5 * Math.log(2 * Math.PI * Math.E), within(1e-12));

        float[] p3 = {99f, 0.4f, -0.3f, 1.1f, -0.5f, 0.2f, -1.0f};
        double expected = 0;
        for (float logStd : new float[] {-0.5f, 0.2f, -1.0f}) {
            double sigma = Math.exp(logStd);
            expected += 0.5 * Math.log(2 * Math.PI * Math.E * sigma * sigma);
        }
        assertThat(g3.entropy(p3, 1)).isCloseTo(expected, within(1e-12));
        // the entropy does not depend on the mean
        float[] shifted = p3.clone();
        shifted[1] += 3f;
        shifted[3] -= 2f;
        assertThat(g3.entropy(shifted, 1)).isEqualTo(g3.entropy(p3, 1));
    }

    @Test
    void entropyEqualsMinusTheExpectedLogProbByMonteCarlo() {
        DiagGaussian g = new DiagGaussian(3);
        float[] params = {0.4f, -0.3f, 1.1f, -0.5f, 0.2f, -1.0f};
        SplittableRandom random = new SplittableRandom(11);
        int n = 200_000;
        double[] a = new double[3];
        double sum = 0;
        double sumSq = 0;
        for (int k = 0; k < n; k++) {
            g.sample(params, 0, random, a, 0);
            double lp = g.logProb(params, 0, a, 0);
            sum += lp;
            sumSq += lp * lp;
        }
        double mean = sum / n;
        double sd = Math.sqrt(sumSq / n - mean * mean);
        assertThat(-mean).isCloseTo(g.entropy(params, 0), within(5 * sd / Math.sqrt(n)));
    }

    @Test
    void modeIsTheMean() {
        DiagGaussian g = new DiagGaussian(3);
        float[] params = {7f, 7f, 7f, 7f, 7f, 7f, 0.4f, -0.3f, 1.1f, -0.5f, 0.2f, 3.0f};
        double[] actions = {-9, -9, -9, -9, -9};
        g.mode(params, 6, actions, 1);
        assertThat(actions).containsExactly(-9, 0.4f, -0.3f, 1.1f, -9);
    }

    @Test
    void samplesHaveTheRightMeanAndStdPerDimension() {
        DiagGaussian g = new DiagGaussian(3);
        float[] params = {0.4f, -1.3f, 2.1f, -0.5f, 0.6f, -2.0f};
        SplittableRandom random = new SplittableRandom(42);
        int n = 200_000;
        double[] sum = new double[3];
        double[] sumSq = new double[3];
        double cross01 = 0;
        double[] a = new double[3];
        for (int k = 0; k < n; k++) {
            g.sample(params, 0, random, a, 0);
            for (int j = 0; j < 3; j++) {
                sum[j] += a[j];
                sumSq[j] += a[j] * a[j];
            }
            cross01 += (a[0] - params[0]) * (a[1] - params[1]);
        }
        for (int j = 0; j < 3; j++) {
            double mu = params[j];
            double sigma = Math.exp(params[3 + j]);
            double mean = sum[j] / n;
            double std = Math.sqrt(sumSq[j] / n - mean * mean);
            // standard errors: sigma / sqrt(n) for the mean, about sigma / sqrt(2n) for the std
            assertThat(mean).as("mean of dimension %d", j).isCloseTo(mu, within(5 * sigma / Math.sqrt(n)));
            assertThat(std).as("std of dimension %d", j).isCloseTo(sigma, within(5 * sigma / Math.sqrt(2.0 * n)));
        }
        // independent dimensions: the correlation of 0 and 1 is within 5 standard errors of 0
        double correlation = cross01 / n / (Math.exp(params[3]) * Math.exp(params[4]));
        assertThat(correlation).isCloseTo(0.0, within(5 / Math.sqrt(n)));
    }

    @Test
    void samplingWritesOnlyItsSlotAndIsReproducible() {
        DiagGaussian g = new DiagGaussian(2);
        float[] params = {5f, 5f, 5f, 5f, 0.1f, -0.2f, 0.3f, -0.4f};
        double[] first = {-7, -7, -7, -7};
        double[] second = {-7, -7, -7, -7};
        g.sample(params, 4, new SplittableRandom(3), first, 1);
        g.sample(params, 4, new SplittableRandom(3), second, 1);
        assertThat(first).containsExactly(second);
        assertThat(first[0]).isEqualTo(-7);
        assertThat(first[3]).isEqualTo(-7);
        assertThat(first[1]).isNotEqualTo(-7);
        // one standard normal per dimension, in order: a_j = mu_j + sigma_j * z_j
        SplittableRandom replay = new SplittableRandom(3);
        double z0 = replay.nextGaussian();
        double z1 = replay.nextGaussian();
        assertThat(first[1]).isCloseTo(0.1f + Math.exp(0.3f) * z0, within(1e-12));
        assertThat(first[2]).isCloseTo(-0.2f + Math.exp(-0.4f) * z1, within(1e-12));
    }

    @Test
    void gradientMatchesFiniteDifferencesInOneAndThreeDimensions() {
        double[][] coefficients = {{1.0, 0.0}, {0.0, 1.0}, {-0.7, 0.3}, {2.5, -1.2}};
        // d = 1
        checkGradient(new DiagGaussian(1), new float[] {0.3f, -0.5f}, new double[] {1.1}, coefficients);
        checkGradient(new DiagGaussian(1), new float[] {-1.0f, 0.4f}, new double[] {-3.0}, coefficients);
        // d = 3, actions on both sides of the mean and near it
        checkGradient(new DiagGaussian(3), new float[] {0.4f, -0.3f, 1.1f, -0.5f, 0.2f, -1.0f},
                new double[] {0.1, 0.5, 1.15}, coefficients);
        checkGradient(new DiagGaussian(3), new float[] {-2.0f, 0.0f, 0.7f, 0.6f, -0.2f, 0.0f},
                new double[] {1.0, -0.9, 0.7}, coefficients);
    }

    private static void checkGradient(DiagGaussian g, float[] rowParams, double[] rowActions, double[][] coefficients) {
        int p = g.paramSize();
        int d = g.actionSize();
        // the row sits at offset p in a two-row batch; the other row must not be touched
        float[] params = new float[2 * p];
        Arrays.fill(params, 0, p, 0.25f);
        System.arraycopy(rowParams, 0, params, p, p);
        double[] actions = new double[2 * d];
        System.arraycopy(rowActions, 0, actions, d, d);
        for (double[] c : coefficients) {
            double dLogProb = c[0];
            double dEntropy = c[1];
            double[] gradient = new double[2 * p];
            Arrays.fill(gradient, 0.5); // accumulates: adds to what is there
            g.accumulateGradient(params, p, actions, d, dLogProb, dEntropy, gradient);

            double[] numeric = finiteDifferences(params, p, p,
                    x -> dLogProb * g.logProb(x, p, actions, d) + dEntropy * g.entropy(x, p));
            for (int k = 0; k < p; k++) {
                assertThat(gradient[k]).as("other row, component %d", k).isEqualTo(0.5);
                double analytic = gradient[p + k] - 0.5;
                double tolerance = 1e-6 + 1e-5 * Math.abs(numeric[k]);
                assertThat(analytic).as("d=%d coefficients %s component %d (numeric %s)", d, Arrays.toString(c), k,
                        numeric[k]).isCloseTo(numeric[k], within(tolerance));
            }
            // closed forms, written out: d/dmu = (a - mu)/sigma^2, d/dlogStd = z^2 - 1 (+ 1 for H)
            for (int j = 0; j < d; j++) {
                double sigma = Math.exp(rowParams[d + j]);
                double diff = rowActions[j] - rowParams[j];
                assertThat(gradient[p + j] - 0.5).isCloseTo(dLogProb * diff / (sigma * sigma), within(1e-12));
                assertThat(gradient[p + d + j] - 0.5)
                        .isCloseTo(dLogProb * (diff * diff / (sigma * sigma) - 1) + dEntropy, within(1e-12));
            }
        }
    }

    /**
     * Central differences with respect to {@code point[from .. from + count)}. The perturbed
     * parameters are floats, so the step actually taken, (float)(x + H) - (float)(x - H), is
     * the denominator rather than 2H.
     */
    private static double[] finiteDifferences(float[] point, int from, int count, ToDoubleFunction<float[]> f) {
        double[] gradient = new double[count];
        for (int k = 0; k < count; k++) {
            float[] plus = point.clone();
            float[] minus = point.clone();
            plus[from + k] = (float) (point[from + k] + H);
            minus[from + k] = (float) (point[from + k] - H);
            double step = (double) plus[from + k] - (double) minus[from + k];
            gradient[k] = (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / step;
        }
        return gradient;
    }

    @Test
    void sizesAndValidation() {
        DiagGaussian g = new DiagGaussian(3);
        assertThat(g.dimensions()).isEqualTo(3);
        assertThat(g.paramSize()).isEqualTo(6);
        assertThat(g.actionSize()).isEqualTo(3);
        assertThatThrownBy(() -> new DiagGaussian(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void forSpaceGivesAGaussianForABox() {
        ActionDistribution distribution = ActionDistributions.forSpace(
                dev.proxima.env.BoxSpace.of(new double[] {-1, -2}, new double[] {1, 2}));
        assertThat(distribution).isInstanceOf(DiagGaussian.class);
        assertThat(((DiagGaussian) distribution).dimensions()).isEqualTo(2);
    }
}

package dev.proxima.ppo.update;

import static dev.proxima.ppo.FiniteDifferences.assertClose;
import static dev.proxima.ppo.FiniteDifferences.finiteDifferences;
import static dev.proxima.ppo.FiniteDifferences.maxAbs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.proxima.ppo.distribution.DiagGaussian;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link PpoLoss} with a two-dimensional {@link DiagGaussian}: the closed-form gradient with
 * respect to [mean, logStd] of every row against central finite differences of the loss, in
 * each of the six clip cases (sign of A x ratio below / inside / above 1 +- eps).
 */
class PpoLossGaussianGradientTest {

    private static final int D = 2;
    private static final int P = 2 * D;
    private static final DiagGaussian DISTRIBUTION = new DiagGaussian(D);
    private static final double CLIP = 0.2;

    /** Ratios well inside each region, far enough from 1 +- CLIP that a step of H cannot cross a kink. */
    enum Region {
        BELOW(0.7), INSIDE(1.05), ABOVE(1.4);

        final double ratio;

        Region(double ratio) {
            this.ratio = ratio;
        }
    }

    // [mean_1, mean_2, logStd_1, logStd_2] and the action of each row
    private static final float[][] ROW_PARAMS = {
        {0.3f, -0.8f, -0.5f, 0.1f},
        {-0.2f, 0.4f, 0.2f, -0.7f},
        {1.5f, -1.0f, -0.3f, -0.3f},
        {0.0f, 0.7f, 0.4f, -1.1f},
    };
    private static final double[][] ROW_ACTIONS = {
        {0.9, -0.5},
        {-1.4, 0.35},
        {1.2, -0.1},
        {0.6, 0.9},
    };

    record Batch(float[] params, float[] values, Minibatch minibatch) {
    }

    /** The log-density written out independently of DiagGaussian. */
    private static double logDensity(float[] params, int offset, double[] actions, int actionOffset) {
        double sum = 0;
        for (int j = 0; j < D; j++) {
            double sigma = Math.exp(params[offset + D + j]);
            double diff = actions[actionOffset + j] - params[offset + j];
            sum += Math.log(Math.exp(-diff * diff / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI)));
        }
        return sum;
    }

    /** oldLogProb = logp(a) - log(ratio) puts exp(logp - oldLogProb) at the wanted ratio. */
    private static Batch batch(int[] rowIndex, double[] ratios, double[] advantages) {
        int n = rowIndex.length;
        float[] params = new float[n * P];
        float[] values = new float[n];
        double[] actions = new double[n * D];
        double[] oldLogProbs = new double[n];
        double[] returns = new double[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(ROW_PARAMS[rowIndex[i]], 0, params, i * P, P);
            System.arraycopy(ROW_ACTIONS[rowIndex[i]], 0, actions, i * D, D);
            oldLogProbs[i] = logDensity(params, i * P, actions, i * D) - Math.log(ratios[i]);
            values[i] = 0.25f * i - 0.4f;
            returns[i] = 0.9 - 0.35 * i;
        }
        return new Batch(params, values, new Minibatch(new float[n * 3], actions, oldLogProbs, advantages.clone(),
                returns, null, null, null));
    }

    private static Batch batchIn(Region region, double sign) {
        int n = ROW_PARAMS.length;
        int[] rows = new int[n];
        double[] ratios = new double[n];
        double[] advantages = new double[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
            ratios[i] = region.ratio * (1 + 0.01 * i);
            advantages[i] = sign * (0.5 + 0.3 * i);
        }
        return batch(rows, ratios, advantages);
    }

    static Stream<Arguments> clipCases() {
        return Stream.of(
                Arguments.of(+1.0, Region.BELOW),
                Arguments.of(+1.0, Region.INSIDE),
                Arguments.of(+1.0, Region.ABOVE),
                Arguments.of(-1.0, Region.BELOW),
                Arguments.of(-1.0, Region.INSIDE),
                Arguments.of(-1.0, Region.ABOVE));
    }

    @ParameterizedTest(name = "sign(A) = {0}, ratio {1}")
    @MethodSource("clipCases")
    void gradientMatchesFiniteDifferencesInEveryClipCase(double sign, Region region) {
        Batch b = batchIn(region, sign);
        double entCoef = 0.0;
        double vfCoef = 0.5;
        int n = b.minibatch().size();

        PpoLoss.Result result = evaluate(b, b.params(), b.values(), entCoef, vfCoef);

        for (int i = 0; i < n; i++) {
            double ratio = ratio(b, b.params(), i);
            switch (region) {
                case BELOW -> assertThat(ratio).as("row %d", i).isLessThan(1 - CLIP);
                case INSIDE -> assertThat(ratio).as("row %d", i).isBetween(1 - CLIP, 1 + CLIP);
                case ABOVE -> assertThat(ratio).as("row %d", i).isGreaterThan(1 + CLIP);
            }
        }
        assertThat(result.clipFraction()).isEqualTo(region == Region.INSIDE ? 0.0 : 1.0);
        assertThat(result.policyGradient()).hasSize(n * P);

        double[] numeric = finiteDifferences(b.params(),
                p -> evaluate(b, p, b.values(), entCoef, vfCoef).total(entCoef, vfCoef));
        assertClose(result.policyGradient(), numeric);

        boolean clippedAway = (sign > 0 && region == Region.ABOVE) || (sign < 0 && region == Region.BELOW);
        if (clippedAway) {
            for (double g : result.policyGradient()) {
                assertThat(Math.abs(g)).isEqualTo(0.0);
            }
        } else {
            // -A r / n times dlogp: (a - mu)/sigma^2 for the means, z^2 - 1 for the log-stds
            for (int i = 0; i < n; i++) {
                double scale = -b.minibatch().advantages()[i] * ratio(b, b.params(), i) / n;
                for (int j = 0; j < D; j++) {
                    double sigma = Math.exp(b.params()[i * P + D + j]);
                    double diff = b.minibatch().actions()[i * D + j] - b.params()[i * P + j];
                    assertThat(result.policyGradient()[i * P + j]).as("row %d mean %d", i, j)
                            .isCloseTo(scale * diff / (sigma * sigma), within(1e-12));
                    assertThat(result.policyGradient()[i * P + D + j]).as("row %d logStd %d", i, j)
                            .isCloseTo(scale * (diff * diff / (sigma * sigma) - 1), within(1e-12));
                }
            }
            assertThat(maxAbs(result.policyGradient())).isGreaterThan(1e-2);
        }
    }

    private static Batch mixedBatch() {
        return batch(
                new int[] {0, 1, 2, 3, 0, 2},
                new double[] {Region.BELOW.ratio, Region.INSIDE.ratio, Region.ABOVE.ratio, Region.BELOW.ratio,
                    Region.INSIDE.ratio, Region.ABOVE.ratio},
                new double[] {1.2, 0.8, 1.5, -0.9, -1.1, -0.6});
    }

    @Test
    void mixedBatchOfAllSixCasesMatchesFiniteDifferences() {
        Batch b = mixedBatch();
        double entCoef = 0.0;
        double vfCoef = 0.5;

        PpoLoss.Result result = evaluate(b, b.params(), b.values(), entCoef, vfCoef);

        assertThat(result.clipFraction()).isCloseTo(4.0 / 6.0, within(1e-12));
        assertClose(result.policyGradient(),
                finiteDifferences(b.params(), p -> evaluate(b, p, b.values(), entCoef, vfCoef).total(entCoef, vfCoef)));
        for (int i = 0; i < 6; i++) {
            double rowNorm = 0;
            for (int k = 0; k < P; k++) {
                rowNorm += Math.abs(result.policyGradient()[i * P + k]);
            }
            if (i == 2 || i == 3) {
                assertThat(rowNorm).as("row %d", i).isZero();
            } else {
                assertThat(rowNorm).as("row %d", i).isGreaterThan(1e-3);
            }
        }
    }

    @Test
    void entropyTermGradientMatchesFiniteDifferences() {
        Batch b = mixedBatch();
        double entCoef = 0.3;
        double vfCoef = 0.5;
        int n = b.minibatch().size();

        PpoLoss.Result with = evaluate(b, b.params(), b.values(), entCoef, vfCoef);
        PpoLoss.Result without = evaluate(b, b.params(), b.values(), 0.0, vfCoef);

        assertClose(with.policyGradient(),
                finiteDifferences(b.params(), p -> evaluate(b, p, b.values(), entCoef, vfCoef).total(entCoef, vfCoef)));
        // the entropy part: -entCoef / n on every log-std, nothing on the means
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < D; j++) {
                assertThat(with.policyGradient()[i * P + j] - without.policyGradient()[i * P + j])
                        .isCloseTo(0.0, within(1e-15));
                assertThat(with.policyGradient()[i * P + D + j] - without.policyGradient()[i * P + D + j])
                        .isCloseTo(-entCoef / n, within(1e-12));
            }
        }
        // entropyLoss = -mean(H), H = sum_j (0.5 + 0.5 log 2 pi + logStd_j)
        double entropySum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < D; j++) {
                entropySum += 0.5 + 0.5 * Math.log(2 * Math.PI) + b.params()[i * P + D + j];
            }
        }
        assertThat(with.entropyLoss()).isCloseTo(-entropySum / n, within(1e-12));
    }

    @Test
    void lossNumbersEqualADirectComputation() {
        Batch b = mixedBatch();
        Minibatch m = b.minibatch();
        int n = m.size();

        PpoLoss.Result result = evaluate(b, b.params(), b.values(), 0.05, 0.5);

        double policySum = 0;
        double valueSum = 0;
        double klSum = 0;
        for (int i = 0; i < n; i++) {
            double r = Math.exp(logDensity(b.params(), i * P, m.actions(), i * D) - m.oldLogProbs()[i]);
            double a = m.advantages()[i];
            policySum += Math.min(r * a, Math.max(1 - CLIP, Math.min(1 + CLIP, r)) * a);
            double error = m.returns()[i] - b.values()[i];
            valueSum += error * error;
            klSum += (r - 1) - Math.log(r);
        }
        assertThat(result.policyLoss()).isCloseTo(-policySum / n, within(1e-10));
        assertThat(result.valueLoss()).isCloseTo(valueSum / n, within(1e-12));
        assertThat(result.approxKl()).isCloseTo(klSum / n, within(1e-10));
        assertThat(result.approxKl()).isPositive();
    }

    @Test
    void valueGradientMatchesFiniteDifferences() {
        Batch b = mixedBatch();
        PpoLoss.Result result = evaluate(b, b.params(), b.values(), 0.01, 0.5);
        assertClose(result.valueGradient(),
                finiteDifferences(b.values(), v -> evaluate(b, b.params(), v, 0.01, 0.5).total(0.01, 0.5)));
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static PpoLoss.Result evaluate(Batch b, float[] params, float[] values, double entCoef, double vfCoef) {
        return PpoLoss.evaluate(DISTRIBUTION, params, values, b.minibatch(), CLIP, entCoef, vfCoef, null, null);
    }

    private static double ratio(Batch b, float[] params, int row) {
        return Math.exp(logDensity(params, row * P, b.minibatch().actions(), row * D) - b.minibatch().oldLogProbs()[row]);
    }
}

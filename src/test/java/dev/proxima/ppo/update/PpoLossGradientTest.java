package dev.proxima.ppo.update;

import static dev.proxima.ppo.FiniteDifferences.assertClose;
import static dev.proxima.ppo.FiniteDifferences.finiteDifferences;
import static dev.proxima.ppo.FiniteDifferences.maxAbs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.proxima.ppo.FiniteDifferences;
import dev.proxima.ppo.distribution.Categorical;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link PpoLoss}'s closed-form gradients against central finite differences of its own loss,
 * and its loss numbers against a direct computation, for a 3-action {@link Categorical}.
 */
class PpoLossGradientTest {

    private static final int ACTIONS = 3;
    private static final Categorical DISTRIBUTION = new Categorical(ACTIONS);
    private static final double CLIP = 0.2;

    /** Ratios well inside each region, far enough from 1 +- CLIP that a step of FiniteDifferences.H cannot cross a kink. */
    enum Region {
        BELOW(0.7), INSIDE(1.05), ABOVE(1.4);

        final double ratio;

        Region(double ratio) {
            this.ratio = ratio;
        }
    }

    // Different logits and actions for the rows of a batch.
    private static final float[][] ROW_LOGITS = {
        {0.3f, -0.8f, 1.1f},
        {-0.2f, 0.4f, 0.05f},
        {1.5f, -1.0f, 0.2f},
        {0.0f, 0.7f, -0.6f},
    };
    private static final int[] ROW_ACTIONS = {2, 0, 1, 1};

    /** One row's logits, action, and the ratio and advantage it is meant to have. */
    record Row(float[] logits, int action, double ratio, double advantage) {
    }

    record Batch(float[] logits, float[] values, Minibatch minibatch) {
    }

    /**
     * Builds the batch: oldLogProb = logp(a) - log(ratio) puts exp(logp - oldLogProb) at the
     * wanted ratio.
     */
    private static Batch batch(Row... rows) {
        int n = rows.length;
        float[] logits = new float[n * ACTIONS];
        float[] values = new float[n];
        double[] actions = new double[n];
        double[] oldLogProbs = new double[n];
        double[] advantages = new double[n];
        double[] returns = new double[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows[i].logits(), 0, logits, i * ACTIONS, ACTIONS);
            actions[i] = rows[i].action();
            oldLogProbs[i] = logSoftmax(rows[i].logits())[rows[i].action()] - Math.log(rows[i].ratio());
            advantages[i] = rows[i].advantage();
            values[i] = 0.25f * i - 0.4f;
            returns[i] = 0.9 - 0.35 * i;
        }
        return new Batch(logits, values, new Minibatch(new float[n], actions, oldLogProbs, advantages, returns, null, null, null));
    }

    private static Row[] rowsIn(Region region, double advantageSign) {
        Row[] rows = new Row[ROW_LOGITS.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new Row(ROW_LOGITS[i], ROW_ACTIONS[i], region.ratio * (1 + 0.01 * i),
                    advantageSign * (0.5 + 0.3 * i));
        }
        return rows;
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
    void policyGradientMatchesFiniteDifferencesInEveryClipCase(double sign, Region region) {
        Batch b = batch(rowsIn(region, sign));
        double entCoef = 0.0;
        double vfCoef = 0.5;

        PpoLoss.Result result = evaluate(b, b.logits(), b.values(), entCoef, vfCoef);

        // the region intended was hit: every row's ratio is where it should be
        for (int i = 0; i < b.minibatch().size(); i++) {
            double ratio = ratio(b, b.logits(), i);
            switch (region) {
                case BELOW -> assertThat(ratio).as("row %d", i).isLessThan(1 - CLIP);
                case INSIDE -> assertThat(ratio).as("row %d", i).isBetween(1 - CLIP, 1 + CLIP);
                case ABOVE -> assertThat(ratio).as("row %d", i).isGreaterThan(1 + CLIP);
            }
        }
        assertThat(result.clipFraction()).isEqualTo(region == Region.INSIDE ? 0.0 : 1.0);

        double[] numeric = finiteDifferences(b.logits(), logits -> evaluate(b, logits, b.values(), entCoef, vfCoef)
                .total(entCoef, vfCoef));
        assertClose(result.policyGradient(), numeric);

        boolean clippedAway = (sign > 0 && region == Region.ABOVE) || (sign < 0 && region == Region.BELOW);
        if (clippedAway) {
            // min() picks the constant clipped term: no gradient reaches the logits
            for (double g : result.policyGradient()) {
                assertThat(Math.abs(g)).isEqualTo(0.0);
            }
        } else {
            // d/dlogit_a of -r A / n, r = exp(logp - old): row i's action logit gets -A r (1 - p_a) / n
            int n = b.minibatch().size();
            for (int i = 0; i < n; i++) {
                int a = ROW_ACTIONS[i];
                double p = Math.exp(logSoftmax(ROW_LOGITS[i])[a]);
                double expected = -b.minibatch().advantages()[i] * ratio(b, b.logits(), i) * (1 - p) / n;
                assertThat(result.policyGradient()[i * ACTIONS + a]).isCloseTo(expected, within(1e-12));
                assertThat(expected).isNotCloseTo(0.0, within(1e-3));
            }
        }
    }

    private static Row[] mixedRows() {
        return new Row[] {
            new Row(ROW_LOGITS[0], ROW_ACTIONS[0], Region.BELOW.ratio, 1.2),
            new Row(ROW_LOGITS[1], ROW_ACTIONS[1], Region.INSIDE.ratio, 0.8),
            new Row(ROW_LOGITS[2], ROW_ACTIONS[2], Region.ABOVE.ratio, 1.5),
            new Row(ROW_LOGITS[3], ROW_ACTIONS[3], Region.BELOW.ratio, -0.9),
            new Row(ROW_LOGITS[0], ROW_ACTIONS[1], Region.INSIDE.ratio, -1.1),
            new Row(ROW_LOGITS[2], ROW_ACTIONS[0], Region.ABOVE.ratio, -0.6),
        };
    }

    @Test
    void mixedBatchOfAllSixCasesMatchesFiniteDifferences() {
        Batch b = batch(mixedRows());
        double entCoef = 0.0;
        double vfCoef = 0.5;

        PpoLoss.Result result = evaluate(b, b.logits(), b.values(), entCoef, vfCoef);

        assertThat(result.clipFraction()).isCloseTo(4.0 / 6.0, within(1e-12));
        assertClose(result.policyGradient(),
                finiteDifferences(b.logits(), l -> evaluate(b, l, b.values(), entCoef, vfCoef).total(entCoef, vfCoef)));
        // rows 2 (A>0, r>1+eps) and 3 (A<0, r<1-eps) are clipped away, the others are not
        for (int i = 0; i < 6; i++) {
            double rowNorm = 0;
            for (int j = 0; j < ACTIONS; j++) {
                rowNorm += Math.abs(result.policyGradient()[i * ACTIONS + j]);
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
        Batch b = batch(mixedRows());
        double entCoef = 0.3;
        double vfCoef = 0.5;

        PpoLoss.Result with = evaluate(b, b.logits(), b.values(), entCoef, vfCoef);
        PpoLoss.Result without = evaluate(b, b.logits(), b.values(), 0.0, vfCoef);

        assertClose(with.policyGradient(),
                finiteDifferences(b.logits(), l -> evaluate(b, l, b.values(), entCoef, vfCoef).total(entCoef, vfCoef)));
        // the entropy part alone: entCoef * d(entropyLoss)/d(logits)
        double[] entropyPart = new double[with.policyGradient().length];
        for (int k = 0; k < entropyPart.length; k++) {
            entropyPart[k] = with.policyGradient()[k] - without.policyGradient()[k];
        }
        double[] numericEntropyLoss = finiteDifferences(b.logits(),
                l -> entCoef * evaluate(b, l, b.values(), 0.0, 0.0).entropyLoss());
        assertClose(entropyPart, numericEntropyLoss);
        assertThat(maxAbs(entropyPart)).isGreaterThan(1e-3);
        // the entropy does not depend on the action or ratio, so an entropy-only loss
        // (entCoef large) still moves clipped-away rows
        assertThat(Math.abs(with.policyGradient()[2 * ACTIONS]) + Math.abs(with.policyGradient()[2 * ACTIONS + 1]))
                .isGreaterThan(1e-4);
    }

    @Test
    void entropyGradientPushesTowardsUniform() {
        // minimising -entCoef * H raises the entropy: gradient descent lowers the largest logit
        Batch b = batch(new Row(new float[] {2.0f, 0.0f, -1.0f}, 0, 1.0, 0.0));
        PpoLoss.Result result = evaluate(b, b.logits(), b.values(), 1.0, 0.0);

        assertThat(result.policyGradient()[0]).isPositive();
        assertThat(result.policyGradient()[2]).isNegative();
    }

    @Test
    void valueGradientMatchesFiniteDifferences() {
        Batch b = batch(mixedRows());
        double entCoef = 0.01;
        double vfCoef = 0.5;

        PpoLoss.Result result = evaluate(b, b.logits(), b.values(), entCoef, vfCoef);

        double[] numeric = finiteDifferences(b.values(),
                values -> evaluate(b, b.logits(), values, entCoef, vfCoef).total(entCoef, vfCoef));
        assertClose(result.valueGradient(), numeric);
        // closed form: vfCoef * 2 (V - R) / n
        int n = b.minibatch().size();
        for (int i = 0; i < n; i++) {
            assertThat(result.valueGradient()[i])
                    .isCloseTo(vfCoef * 2 * (b.values()[i] - b.minibatch().returns()[i]) / n, within(1e-12));
        }
    }

    @Test
    void lossNumbersEqualADirectComputation() {
        Batch b = batch(mixedRows());
        Minibatch m = b.minibatch();
        int n = m.size();

        PpoLoss.Result result = evaluate(b, b.logits(), b.values(), 0.05, 0.5);

        double policySum = 0;
        double valueSum = 0;
        double entropySum = 0;
        double klSum = 0;
        int outside = 0;
        for (int i = 0; i < n; i++) {
            float[] rowLogits = new float[ACTIONS];
            System.arraycopy(b.logits(), i * ACTIONS, rowLogits, 0, ACTIONS);
            double[] logP = logSoftmax(rowLogits);
            double r = Math.exp(logP[(int) m.actions()[i]] - m.oldLogProbs()[i]);
            double a = m.advantages()[i];
            double clipped = Math.max(1 - CLIP, Math.min(1 + CLIP, r));
            policySum += Math.min(r * a, clipped * a);
            double error = m.returns()[i] - b.values()[i];
            valueSum += error * error;
            double h = 0;
            for (double lp : logP) {
                h -= Math.exp(lp) * lp;
            }
            entropySum += h;
            klSum += (r - 1) - Math.log(r);
            if (Math.abs(r - 1) > CLIP) {
                outside++;
            }
        }

        assertThat(result.policyLoss()).isCloseTo(-policySum / n, within(1e-12));
        assertThat(result.valueLoss()).isCloseTo(valueSum / n, within(1e-12));
        assertThat(result.entropyLoss()).isCloseTo(-entropySum / n, within(1e-12));
        assertThat(result.approxKl()).isCloseTo(klSum / n, within(1e-12));
        assertThat(result.clipFraction()).isEqualTo((double) outside / n);
        assertThat(result.total(0.05, 0.5))
                .isCloseTo(-policySum / n + 0.05 * (-entropySum / n) + 0.5 * valueSum / n, within(1e-12));
        // sanity of the statistics themselves
        assertThat(result.approxKl()).isPositive();
        assertThat(result.entropyLoss()).isBetween(-Math.log(ACTIONS), 0.0);
    }

    @Test
    void atRatioOneThePolicyLossIsMinusTheMeanAdvantageAndKlIsZero() {
        Batch b = batch(
                new Row(ROW_LOGITS[0], 0, 1.0, 2.0),
                new Row(ROW_LOGITS[1], 1, 1.0, -0.5),
                new Row(ROW_LOGITS[2], 2, 1.0, 1.0));

        PpoLoss.Result result = evaluate(b, b.logits(), b.values(), 0.0, 0.5);

        assertThat(result.policyLoss()).isCloseTo(-(2.0 - 0.5 + 1.0) / 3, within(1e-6));
        assertThat(result.approxKl()).isCloseTo(0.0, within(1e-12));
        assertThat(result.clipFraction()).isZero();
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static PpoLoss.Result evaluate(Batch b, float[] logits, float[] values, double entCoef, double vfCoef) {
        return PpoLoss.evaluate(DISTRIBUTION, logits, values, b.minibatch(), CLIP, entCoef, vfCoef, null, null);
    }

    private static double ratio(Batch b, float[] logits, int row) {
        return Math.exp(DISTRIBUTION.logProb(logits, row * ACTIONS, b.minibatch().actions(), row)
                - b.minibatch().oldLogProbs()[row]);
    }

    /** log softmax in double precision, written out. */
    private static double[] logSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float z : logits) {
            max = Math.max(max, z);
        }
        double sum = 0;
        for (float z : logits) {
            sum += Math.exp(z - max);
        }
        double logZ = max + Math.log(sum);
        double[] result = new double[logits.length];
        for (int j = 0; j < logits.length; j++) {
            result[j] = logits[j] - logZ;
        }
        return result;
    }
}

package dev.proxima.vecenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link RunningMeanStd} (SB3's, Chan et al.'s parallel merge) against a direct two-pass
 * computation over all rows at once. SB3 starts from count 1e-4, mean 0, variance 1: that prior
 * is a pseudo-sample of weight 1e-4 with mean 0 and variance 1, so the exact merged statistics
 * of the prior and n rows x_i are
 *
 * <pre>
 *   N    = 1e-4 + n
 *   mean = (1e-4 * 0 + sum x_i) / N
 *   var  = (1e-4 * (1 + (0 - mean)^2) + sum (x_i - mean)^2) / N
 * </pre>
 *
 * and the incremental merge must agree with them to rounding. (Ignoring the prior, the plain
 * mean and population variance of the rows differ from these by about 1e-4 / n relatively.)
 */
class RunningMeanStdTest {

    private static final double PRIOR_COUNT = 1e-4;

    /** Direct statistics of the prior plus all rows; returns {mean[], var[]}. */
    static double[][] direct(List<double[]> rows, int size) {
        int n = rows.size();
        double total = PRIOR_COUNT + n;
        double[] mean = new double[size];
        double[] var = new double[size];
        for (int c = 0; c < size; c++) {
            double sum = 0;
            for (double[] row : rows) {
                sum += row[c];
            }
            mean[c] = sum / total;
            double squares = PRIOR_COUNT * (1 + mean[c] * mean[c]);
            for (double[] row : rows) {
                double d = row[c] - mean[c];
                squares += d * d;
            }
            var[c] = squares / total;
        }
        return new double[][] {mean, var};
    }

    private static double[] flatten(List<double[]> rows, int size) {
        double[] flat = new double[rows.size() * size];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, flat, r * size, size);
        }
        return flat;
    }

    @Test
    void freshStatisticsAreSb3sPrior() {
        RunningMeanStd rms = new RunningMeanStd(3);
        assertThat(rms.mean()).containsExactly(0, 0, 0);
        assertThat(rms.var()).containsExactly(1, 1, 1);
        assertThat(rms.count()).isEqualTo(1e-4);
    }

    @Test
    void severalBatchesOfDifferentSizesEqualOneDirectComputation() {
        int size = 3;
        SplittableRandom random = new SplittableRandom(5);
        RunningMeanStd rms = new RunningMeanStd(size);
        List<double[]> all = new ArrayList<>();
        // columns with different scales and offsets, batches of 1 to 50 rows
        int[] batchSizes = {7, 1, 50, 2, 13, 1, 31};
        for (int batchSize : batchSizes) {
            List<double[]> batch = new ArrayList<>();
            for (int r = 0; r < batchSize; r++) {
                batch.add(new double[] {
                    random.nextGaussian() * 2.0 + 3.0,
                    random.nextDouble(-0.01, 0.01),
                    random.nextGaussian() * 50 - 100,
                });
            }
            rms.update(flatten(batch, size), batchSize);
            all.addAll(batch);

            double[][] expected = direct(all, size);
            assertThat(rms.count()).isCloseTo(PRIOR_COUNT + all.size(), within(1e-9));
            for (int c = 0; c < size; c++) {
                assertThat(rms.mean()[c]).as("mean %d after %d rows", c, all.size())
                        .isCloseTo(expected[0][c], within(1e-10 * (1 + Math.abs(expected[0][c]))));
                assertThat(rms.var()[c]).as("var %d after %d rows", c, all.size())
                        .isCloseTo(expected[1][c], within(1e-10 * expected[1][c]));
            }
        }
        assertThat(rms.count()).isCloseTo(PRIOR_COUNT + 105, within(1e-12));

        // and the plain sample statistics of the rows, ignoring the prior
        int n = all.size();
        for (int c = 0; c < size; c++) {
            double mean = 0;
            for (double[] row : all) {
                mean += row[c];
            }
            mean /= n;
            double var = 0;
            for (double[] row : all) {
                var += (row[c] - mean) * (row[c] - mean);
            }
            var /= n;
            // the prior shifts the mean by about 1e-4 mean / n and the variance by about
            // 1e-4 (1 + mean^2 - var) / n: negligible unless the data's variance is tiny
            assertThat(rms.mean()[c]).isCloseTo(mean, within(2e-4 * Math.abs(mean) / n + 1e-12));
            assertThat(rms.var()[c]).isCloseTo(var, within(2e-4 * (1 + mean * mean + var) / n));
            if (c != 1) {
                assertThat(rms.var()[c]).isCloseTo(var, within(1e-3 * var));
            }
        }
    }

    @Test
    void aSingleBatchIsThePriorMergedWithTheBatch() {
        RunningMeanStd rms = new RunningMeanStd(1);
        rms.update(new double[] {1, 2, 3, 4}, 4);
        // N = 4.0001, mean = 10 / N, var = (1e-4 (1 + mean^2) + sum (x - mean)^2) / N
        double total = 4.0001;
        double mean = 10 / total;
        double squares = 1e-4 * (1 + mean * mean);
        for (double x : new double[] {1, 2, 3, 4}) {
            squares += (x - mean) * (x - mean);
        }
        assertThat(rms.mean()[0]).isCloseTo(mean, within(1e-14));
        assertThat(rms.var()[0]).isCloseTo(squares / total, within(1e-14));
        assertThat(rms.count()).isCloseTo(total, within(1e-15));
    }

    @Test
    void explicitStartingStatisticsAreMergedAsAPriorSample() {
        // start as if 10 rows with mean 2 and variance 4 had been seen
        RunningMeanStd rms = new RunningMeanStd(new double[] {2.0}, new double[] {4.0}, 10);
        rms.update(new double[] {0, 1, 5}, 3);
        double total = 13;
        double mean = (10 * 2.0 + 6) / total;
        double m2 = 10 * (4.0 + (2.0 - mean) * (2.0 - mean));
        for (double x : new double[] {0, 1, 5}) {
            m2 += (x - mean) * (x - mean);
        }
        assertThat(rms.mean()[0]).isCloseTo(mean, within(1e-13));
        assertThat(rms.var()[0]).isCloseTo(m2 / total, within(1e-13));
        assertThat(rms.count()).isEqualTo(13);
    }

    @Test
    void theOrderOfBatchesDoesNotMatter() {
        SplittableRandom random = new SplittableRandom(9);
        double[] a = new double[2 * 5];
        double[] b = new double[2 * 17];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextGaussian() + 4;
        }
        RunningMeanStd ab = new RunningMeanStd(2);
        ab.update(a, 5);
        ab.update(b, 17);
        RunningMeanStd ba = new RunningMeanStd(2);
        ba.update(b, 17);
        ba.update(a, 5);
        for (int c = 0; c < 2; c++) {
            assertThat(ab.mean()[c]).isCloseTo(ba.mean()[c], within(1e-12));
            assertThat(ab.var()[c]).isCloseTo(ba.var()[c], within(1e-12));
        }
    }

    @Test
    void accessorsReturnCopies() {
        RunningMeanStd rms = new RunningMeanStd(2);
        rms.mean()[0] = 99;
        rms.var()[1] = 99;
        assertThat(rms.mean()).containsExactly(0, 0);
        assertThat(rms.var()).containsExactly(1, 1);
        double[] mean = {1, 2};
        RunningMeanStd copy = new RunningMeanStd(mean, new double[] {3, 4}, 5);
        mean[0] = 42;
        assertThat(copy.mean()).containsExactly(1, 2);
    }
}

package dev.proxima.ppo.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrthogonalInitTest {

    /** Gram matrix of the rows (W W^T) when byRows, else of the columns (W^T W). */
    private static double[][] gram(float[] w, int rows, int cols, boolean byRows) {
        int n = byRows ? rows : cols;
        int len = byRows ? cols : rows;
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int k = 0; k < len; k++) {
                    double a = byRows ? w[i * cols + k] : w[k * cols + i];
                    double b = byRows ? w[j * cols + k] : w[k * cols + j];
                    dot += a * b;
                }
                g[i][j] = dot;
            }
        }
        return g;
    }

    private static void assertScaledIdentity(double[][] g, double gain) {
        for (int i = 0; i < g.length; i++) {
            for (int j = 0; j < g.length; j++) {
                double expected = i == j ? gain * gain : 0.0;
                assertThat(g[i][j]).as("(%d, %d)", i, j).isCloseTo(expected, within(1e-5 * Math.max(1, gain * gain)));
            }
        }
    }

    @ParameterizedTest(name = "{0}x{1}, gain {2}")
    @CsvSource({
        "3, 7, 1.0",
        "2, 64, 0.01",
        "1, 64, 1.0",
        "64, 64, 1.4142135623730951",
        "7, 3, 1.4142135623730951",
        "64, 4, 1.4142135623730951",
        "5, 5, 2.0",
    })
    void fewerOfRowsOrColumnsAreOrthonormalTimesGain(int rows, int cols, double gain) {
        float[] w = OrthogonalInit.matrix(rows, cols, gain, new SplittableRandom(11));

        assertThat(w).hasSize(rows * cols);
        if (rows <= cols) {
            assertScaledIdentity(gram(w, rows, cols, true), gain);
        }
        if (cols <= rows) {
            assertScaledIdentity(gram(w, rows, cols, false), gain);
        }
    }

    @Test
    void squaredNormIsGainSquaredTimesTheSmallerDimension() {
        // trace(W W^T) = trace(W^T W) = min(rows, cols) * gain^2
        float[] w = OrthogonalInit.matrix(8, 2, 1.0, new SplittableRandom(5));
        double[][] rowsGram = gram(w, 8, 2, true);
        double trace = 0;
        for (int i = 0; i < 8; i++) {
            trace += rowsGram[i][i];
        }
        assertThat(trace).isCloseTo(2.0, within(1e-5));
    }

    @Test
    void sameSeedSameMatrixDifferentSeedDifferentMatrix() {
        float[] a = OrthogonalInit.matrix(16, 5, 1.0, new SplittableRandom(42));
        float[] b = OrthogonalInit.matrix(16, 5, 1.0, new SplittableRandom(42));
        float[] c = OrthogonalInit.matrix(16, 5, 1.0, new SplittableRandom(43));

        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
        int equal = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == c[i]) {
                equal++;
            }
        }
        assertThat(equal).isLessThan(a.length / 10);
    }

    @Test
    void isNotATrivialPermutationMatrix() {
        // an orthonormal but degenerate answer (identity / signed permutation) would have entries in {0, +-1}
        float[] w = OrthogonalInit.matrix(6, 6, 1.0, new SplittableRandom(3));
        int unitOrZero = 0;
        for (float v : w) {
            if (v == 0f || Math.abs(v) == 1f) {
                unitOrZero++;
            }
        }
        assertThat(unitOrZero).isZero();
    }
}

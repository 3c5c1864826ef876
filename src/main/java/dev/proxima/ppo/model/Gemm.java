package dev.proxima.ppo.model;

import java.util.Arrays;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Row-major matrix products on Java arrays for the fused network passes: OpenBLAS's sgemm (the
 * library ND4J itself multiplies with, called here without ND4J's per-op overhead) for products
 * big enough to pay for the native call, a plain loop for small ones (one observation, a 4-wide
 * input layer).
 */
final class Gemm {

    /** Multiply-adds from which the native call, with its copies of the arrays, beats the Java loop. */
    private static final long NATIVE_FROM = 8 * 1024;

    static {
        Nd4jRuntime.init();
    }

    private Gemm() {
    }

    /** Whether a product of these sizes goes to OpenBLAS rather than the Java loop. */
    static boolean worthNative(int n, int k, int m) {
        return (long) n * k * m >= NATIVE_FROM;
    }

    /**
     * {@code c[n][m] = a[n][k] * w[m][k]^T} in OpenBLAS: a layer's forward pass. Small products
     * go through {@link #times} with the weights in [in][out] layout instead, whose loop runs along
     * the contiguous outputs (a dot product's running sum would not vectorise).
     */
    static void timesTransposed(float[] a, float[] w, float[] c, int n, int k, int m) {
        sgemm(false, true, n, m, k, a, k, w, k, c, m);
    }

    /** {@code c[m][k] = a[n][m]^T * b[n][k]}: a weight gradient from the output gradient and the layer's input. */
    static void transposedTimes(float[] a, float[] b, float[] c, int n, int m, int k) {
        if (worthNative(n, k, m)) {
            sgemm(true, false, m, k, n, a, m, b, k, c, k);
            return;
        }
        Arrays.fill(c, 0, m * k, 0f);
        for (int r = 0; r < n; r++) {
            int bRow = r * k;
            for (int j = 0; j < m; j++) {
                float aValue = a[r * m + j];
                int cRow = j * k;
                for (int p = 0; p < k; p++) {
                    c[cRow + p] += aValue * b[bRow + p];
                }
            }
        }
    }

    /** {@code c[n][k] = a[n][m] * w[m][k]}: the gradient with respect to a layer's input, or a small forward pass. */
    static void times(float[] a, float[] w, float[] c, int n, int m, int k) {
        if (worthNative(n, k, m)) {
            sgemm(false, false, n, k, m, a, m, w, k, c, k);
            return;
        }
        Arrays.fill(c, 0, n * k, 0f);
        for (int r = 0; r < n; r++) {
            int cRow = r * k;
            for (int j = 0; j < m; j++) {
                float aValue = a[r * m + j];
                int wRow = j * k;
                for (int p = 0; p < k; p++) {
                    c[cRow + p] += aValue * w[wRow + p];
                }
            }
        }
    }

    private static void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int lda, float[] b,
            int ldb, float[] c, int ldc) {
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, trans(transA), trans(transB), m, n, k,
                1f, a, lda, b, ldb, 0f, c, ldc);
    }

    private static int trans(boolean transpose) {
        return transpose ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    }
}

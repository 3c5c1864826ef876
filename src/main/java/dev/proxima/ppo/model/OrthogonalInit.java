package dev.proxima.ppo.model;

import java.util.random.RandomGenerator;

/**
 * Orthogonal weight initialisation (Saxe et al. 2014) as PyTorch's {@code orthogonal_}, which
 * Stable-Baselines3 applies with gain sqrt(2) on hidden layers, 0.01 on the policy head and 1
 * on the value head.
 */
final class OrthogonalInit {

    private OrthogonalInit() {
    }

    /** A rows x cols matrix, row-major, whose rows (or columns, whichever are fewer) are orthonormal, times gain. */
    static float[] matrix(int rows, int cols, double gain, RandomGenerator random) {
        boolean transpose = rows < cols;
        int tall = transpose ? cols : rows;
        int wide = transpose ? rows : cols;
        // Gram-Schmidt on the columns of a tall Gaussian matrix = the Q of its QR decomposition
        // with a positive diagonal of R, the sign convention PyTorch applies.
        double[][] columns = new double[wide][tall];
        for (int c = 0; c < wide; c++) {
            for (int r = 0; r < tall; r++) {
                columns[c][r] = random.nextGaussian();
            }
        }
        for (int c = 0; c < wide; c++) {
            for (int previous = 0; previous < c; previous++) {
                double dot = 0;
                for (int r = 0; r < tall; r++) {
                    dot += columns[c][r] * columns[previous][r];
                }
                for (int r = 0; r < tall; r++) {
                    columns[c][r] -= dot * columns[previous][r];
                }
            }
            double norm = 0;
            for (int r = 0; r < tall; r++) {
                norm += columns[c][r] * columns[c][r];
            }
            norm = Math.sqrt(norm);
            for (int r = 0; r < tall; r++) {
                columns[c][r] /= norm;
            }
        }
        float[] result = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double value = transpose ? columns[r][c] : columns[c][r];
                result[r * cols + c] = (float) (gain * value);
            }
        }
        return result;
    }
}

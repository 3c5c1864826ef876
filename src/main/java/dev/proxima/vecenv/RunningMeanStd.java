package dev.proxima.vecenv;

import java.util.Arrays;

/**
 * Running mean and (population) variance of a vector, merged batch by batch with Chan et al.'s
 * parallel algorithm, as SB3's RunningMeanStd (count starts at 1e-4, mean 0, variance 1).
 */
public final class RunningMeanStd {

    private final double[] mean;
    private final double[] var;
    private double count;

    public RunningMeanStd(int size) {
        this.mean = new double[size];
        this.var = new double[size];
        Arrays.fill(var, 1.0);
        this.count = 1e-4;
    }

    public RunningMeanStd(double[] mean, double[] var, double count) {
        if (mean.length != var.length) {
            throw new IllegalArgumentException("mean and var differ in length");
        }
        this.mean = mean.clone();
        this.var = var.clone();
        this.count = count;
    }

    /** Merges a batch of {@code rows} rows, row-major. */
    public void update(double[] batch, int rows) {
        int size = mean.length;
        double[] batchMean = new double[size];
        double[] batchVar = new double[size];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < size; c++) {
                batchMean[c] += batch[r * size + c];
            }
        }
        for (int c = 0; c < size; c++) {
            batchMean[c] /= rows;
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < size; c++) {
                double d = batch[r * size + c] - batchMean[c];
                batchVar[c] += d * d;
            }
        }
        double total = count + rows;
        for (int c = 0; c < size; c++) {
            batchVar[c] /= rows;
            double delta = batchMean[c] - mean[c];
            double m2 = var[c] * count + batchVar[c] * rows + delta * delta * count * rows / total;
            mean[c] += delta * rows / total;
            var[c] = m2 / total;
        }
        count = total;
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] var() {
        return var.clone();
    }

    public double count() {
        return count;
    }

    double meanAt(int i) {
        return mean[i];
    }

    double varAt(int i) {
        return var[i];
    }
}

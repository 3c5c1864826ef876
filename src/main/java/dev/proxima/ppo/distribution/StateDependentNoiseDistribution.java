package dev.proxima.ppo.distribution;

import dev.proxima.ppo.optim.Adam;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Generalized state-dependent exploration (gSDE, Raffin et al. 2021) as SB3's
 * StateDependentNoiseDistribution with {@code full_std} and without {@code expln}: the
 * exploration noise of an action is {@code latent(s) · E}, where E, a latent x d matrix drawn
 * from N(0, exp(logStd)^2), is redrawn only every {@code sdeSampleFreq} steps, so exploration is
 * smooth in time. Given s, the action is Gaussian around the mean with variance
 * {@code latent(s)^2 · exp(logStd)^2 + 1e-6}; that is the distribution PPO's ratio and entropy
 * use. The latent features (the policy network's last hidden layer) are detached here, as SB3's
 * default {@code learn_features=False}: only logStd learns through the variance. The actions'
 * distribution given s is the {@link DiagGaussian} whose parameters {@link #parameters} writes.
 */
public final class StateDependentNoiseDistribution {

    private static final double VARIANCE_EPSILON = 1e-6;

    private final int latentSize;
    private final int d;
    /** latentSize x d, row-major. */
    private final float[] logStd;
    private final Adam adam;
    private double[] pendingGradient;
    /** One exploration matrix per environment (latentSize x d, row-major). */
    private double[][] explorationMatrices = new double[0][];

    private StateDependentNoiseDistribution(int latentSize, int d, float[] logStd, Adam adam) {
        this.latentSize = latentSize;
        this.d = d;
        this.logStd = logStd;
        this.adam = adam;
    }

    public static StateDependentNoiseDistribution create(int latentSize, int d, double logStdInit, double learningRate,
            double adamEpsilon) {
        float[] logStd = new float[latentSize * d];
        Arrays.fill(logStd, (float) logStdInit);
        return create(latentSize, d, logStd, learningRate, adamEpsilon);
    }

    /** With the given log-std matrix (latentSize x d, row-major). */
    public static StateDependentNoiseDistribution create(int latentSize, int d, float[] logStd, double learningRate,
            double adamEpsilon) {
        return new StateDependentNoiseDistribution(latentSize, d, logStd,
                Adam.create(logStd.length, learningRate, adamEpsilon));
    }

    /**
     * Writes {@code [mean, logStd]} rows: the means are the actor's first d outputs of each row
     * ({@code outputWidth} per row), the log-std comes from the row's latent features.
     */
    public float[] parameters(float[] outputs, int outputWidth, float[] latent, int rows) {
        float[] params = new float[rows * 2 * d];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < d; j++) {
                params[DiagGaussian.meanIndex(d, r * 2 * d, j)] = outputs[r * outputWidth + j];
                params[DiagGaussian.logStdIndex(d, r * 2 * d, j)] = (float) (0.5 * Math.log(variance(latent, r, j)));
            }
        }
        return params;
    }

    private double variance(float[] latent, int row, int j) {
        double variance = VARIANCE_EPSILON;
        for (int k = 0; k < latentSize; k++) {
            double feature = latent[row * latentSize + k];
            variance += feature * feature * Math.exp(2.0 * logStd[k * d + j]);
        }
        return variance;
    }

    /** Draws a new exploration matrix for each of {@code count} environments. */
    public void resetNoise(int count, RandomGenerator random) {
        explorationMatrices = new double[count][latentSize * d];
        for (double[] matrix : explorationMatrices) {
            for (int i = 0; i < matrix.length; i++) {
                matrix[i] = Math.exp(logStd[i]) * random.nextGaussian();
            }
        }
    }

    /** Adds {@code latent(row) · E_env} to the action at {@code actionOffset}. */
    public void addNoise(float[] latent, int row, int env, double[] actions, int actionOffset) {
        double[] matrix = explorationMatrices[env];
        for (int j = 0; j < d; j++) {
            double noise = 0;
            for (int k = 0; k < latentSize; k++) {
                noise += latent[row * latentSize + k] * matrix[k * d + j];
            }
            actions[actionOffset + j] += noise;
        }
    }

    /**
     * Keeps d(loss)/d(logStd) from the loss gradients with respect to each row's log-std
     * ({@code policyGradient}, {@code [mean, logStd]} rows) and returns its squared norm. With
     * sigma_j^2 = sum_k latent_k^2 exp(2 L_kj) + eps: d log sigma_j / d L_kj = latent_k^2 exp(2 L_kj) / sigma_j^2.
     */
    public double backward(double[] policyGradient, float[] latent, int rows) {
        pendingGradient = logStdGradient(policyGradient, latent, rows);
        double squaredNorm = 0;
        for (double g : pendingGradient) {
            squaredNorm += g * g;
        }
        return squaredNorm;
    }

    /** d(loss)/d(logStd matrix), row-major, from the loss gradients with respect to each row's log-std. */
    public double[] logStdGradient(double[] policyGradient, float[] latent, int rows) {
        double[] gradient = new double[logStd.length];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < d; j++) {
                double dLossDLogSigma = policyGradient[DiagGaussian.logStdIndex(d, r * 2 * d, j)];
                if (dLossDLogSigma == 0) {
                    continue;
                }
                double scale = dLossDLogSigma / variance(latent, r, j);
                for (int k = 0; k < latentSize; k++) {
                    double feature = latent[r * latentSize + k];
                    gradient[k * d + j] += scale * feature * feature * Math.exp(2.0 * logStd[k * d + j]);
                }
            }
        }
        return gradient;
    }

    /** One Adam step on the pending gradient times {@code gradientScale} (global norm clipping). */
    public void step(double gradientScale) {
        adam.step(logStd, pendingGradient, gradientScale);
        pendingGradient = null;
    }

    public void setLearningRate(double learningRate) {
        adam.setLearningRate(learningRate);
    }

    /** SB3's train/std under gSDE: the mean of exp(logStd) over the matrix. */
    public double meanStd() {
        double total = 0;
        for (float value : logStd) {
            total += Math.exp(value);
        }
        return total / logStd.length;
    }

    public boolean parametersFinite() {
        for (float value : logStd) {
            if (!Float.isFinite(value)) {
                return false;
            }
        }
        return true;
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(latentSize);
            out.writeInt(d);
            out.writeDouble(adam.learningRate());
            out.writeDouble(adam.epsilon());
            out.writeInt(adam.iteration());
            for (float value : logStd) {
                out.writeFloat(value);
            }
            for (float value : adam.state()) {
                out.writeFloat(value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static StateDependentNoiseDistribution fromBytes(byte[] bytes, boolean withOptimizerState) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int latentSize = in.readInt();
            int d = in.readInt();
            double learningRate = in.readDouble();
            double epsilon = in.readDouble();
            int iteration = in.readInt();
            float[] logStd = new float[latentSize * d];
            for (int i = 0; i < logStd.length; i++) {
                logStd[i] = in.readFloat();
            }
            float[] state = new float[Adam.stateSize(logStd.length)];
            if (withOptimizerState) {
                for (int i = 0; i < state.length; i++) {
                    state[i] = in.readFloat();
                }
            }
            return new StateDependentNoiseDistribution(latentSize, d, logStd,
                    Adam.restore(learningRate, epsilon, state, withOptimizerState ? iteration : 0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the gSDE parameters", e);
        }
    }
}

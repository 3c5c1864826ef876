package dev.proxima.ppo.optim;

import java.util.Arrays;

/**
 * The one Adam of the project: PyTorch's defaults (betas 0.9, 0.999) with a given learning rate
 * and epsilon, as ND4J's AdamUpdater applies it. A DL4J network takes {@link #config} as its
 * updater (its state then lives inside the network, saved with it), and its fused passes step with
 * {@link #step(float[], float[], float[], float[], float, float)}, ND4J's arithmetic on Java
 * arrays; parameters outside any network (gSDE's log-std matrix) get an instance of this class,
 * which keeps the moments and the step count beside the parameter vector.
 */
public final class Adam {

    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;

    private double learningRate;
    private final double epsilon;
    /** The first and the second moments. */
    private final float[] m;
    private final float[] v;
    private int iteration;

    private Adam(double learningRate, double epsilon, float[] m, float[] v, int iteration) {
        this.learningRate = learningRate;
        this.epsilon = epsilon;
        this.m = m;
        this.v = v;
        this.iteration = iteration;
    }

    /** ND4J's Adam configuration with these betas, for a DL4J network's updater. */
    public static org.nd4j.linalg.learning.config.Adam config(double learningRate, double epsilon) {
        return new org.nd4j.linalg.learning.config.Adam(learningRate, BETA1, BETA2, epsilon);
    }

    /**
     * ND4J's Adam step (its adam_updater op, so that a network trained here continues exactly as
     * DL4J would train it) on Java arrays: the moments {@code m} and {@code v} advance in place and
     * {@code parameters -= update}. {@link #stepSize} gives {@code alphaT} for the step's number.
     */
    public static void step(float[] parameters, float[] gradient, float[] m, float[] v, float alphaT, float epsilon) {
        step(parameters, gradient, m, v, 0, parameters.length, alphaT, epsilon);
    }

    /** {@link #step(float[], float[], float[], float[], float, float)} on entries {@code [from, to)} only. */
    public static void step(float[] parameters, float[] gradient, float[] m, float[] v, int from, int to, float alphaT,
            float epsilon) {
        float beta1 = (float) BETA1;
        float beta2 = (float) BETA2;
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        for (int i = from; i < to; i++) {
            float g = gradient[i];
            float mi = beta1 * m[i] + g * oneMinusBeta1;
            float vi = beta2 * v[i] + g * g * oneMinusBeta2;
            m[i] = mi;
            v[i] = vi;
            parameters[i] -= mi * alphaT / ((float) Math.sqrt(vi) + epsilon);
        }
    }

    /** The bias-corrected step size of step {@code iteration} (from 0), as ND4J computes it. */
    public static float stepSize(double learningRate, double epsilon, int iteration) {
        float beta1t = (float) Math.pow((float) BETA1, iteration + 1);
        float beta2t = (float) Math.pow((float) BETA2, iteration + 1);
        float alphaT = (float) (learningRate * Math.sqrt(1f - beta2t) / (1f - beta1t));
        return Float.isFinite(alphaT) && alphaT != 0 ? alphaT : (float) epsilon;
    }

    /** Fresh Adam (zero moments, step 0) for {@code parameterCount} parameters. */
    public static Adam create(int parameterCount, double learningRate, double epsilon) {
        return new Adam(learningRate, epsilon, new float[parameterCount], new float[parameterCount], 0);
    }

    /** Adam continuing from saved moments ({@link #state()}) and step count. */
    public static Adam restore(double learningRate, double epsilon, float[] state, int iteration) {
        int count = state.length / 2;
        return new Adam(learningRate, epsilon, Arrays.copyOfRange(state, 0, count),
                Arrays.copyOfRange(state, count, 2 * count), iteration);
    }

    /** How many state values (both moments) Adam keeps for {@code parameterCount} parameters. */
    public static int stateSize(int parameterCount) {
        return 2 * parameterCount;
    }

    /** One step: {@code parameters -= adam(gradient * gradientScale)}. */
    public void step(float[] parameters, double[] gradient, double gradientScale) {
        float[] scaled = new float[gradient.length];
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = (float) (gradient[i] * gradientScale);
        }
        step(parameters, scaled, m, v, stepSize(learningRate, epsilon, iteration++), (float) epsilon);
    }

    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    public double learningRate() {
        return learningRate;
    }

    public double epsilon() {
        return epsilon;
    }

    /** Steps taken so far. */
    public int iteration() {
        return iteration;
    }

    /** Both moments, flat (the first, then the second, as ND4J lays out its Adam state), as {@link #restore} takes them. */
    public float[] state() {
        float[] state = Arrays.copyOf(m, 2 * m.length);
        System.arraycopy(v, 0, state, m.length, v.length);
        return state;
    }
}

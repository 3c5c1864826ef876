package dev.proxima.env;

import java.util.SplittableRandom;

/**
 * Gymnasium's {@code Acrobot-v1} ({@code gymnasium/envs/classic_control/acrobot.py}) with the
 * default "book" dynamics and no torque noise: two links hanging from a fixed joint, the joint
 * between them driven with a torque of -1, 0 or +1 (actions 0, 1, 2). Each step integrates the
 * dynamics over 0.2 s with one fourth-order Runge-Kutta step, wraps both angles into [-pi, pi]
 * and bounds the angular velocities to +-4 pi and +-9 pi. The episode terminates once the free
 * end rises above the bar ({@code -cos(t1) - cos(t2 + t1) > 1}); every step is rewarded -1, a
 * terminal one 0. The time limit is applied by {@link TimeLimit}.
 *
 * <p>The state [t1, t2, dt1, dt2] is kept in double precision, as Gymnasium's, except that a reset
 * rounds it to float32 as Gymnasium's {@code uniform(...).astype(np.float32)} does. Each
 * arithmetic operation follows acrobot.py in the same order, so the only differences from
 * Gymnasium are in the last bit of some sin/cos (Math vs glibc) and {@code x**2} values
 * (Gymnasium's numpy scalars call libm's pow, which is not always the correctly rounded x*x).
 */
public final class Acrobot extends SeededEnvironment {

    public static final String ID = "Acrobot-v1";

    static final double DT = 0.2;
    static final double LINK_LENGTH_1 = 1.0;
    static final double LINK_MASS_1 = 1.0;
    static final double LINK_MASS_2 = 1.0;
    static final double LINK_COM_POS_1 = 0.5;
    static final double LINK_COM_POS_2 = 0.5;
    static final double LINK_MOI = 1.0;
    static final double GRAVITY = 9.8;
    static final double MAX_VEL_1 = 4 * Math.PI;
    static final double MAX_VEL_2 = 9 * Math.PI;
    private static final double[] AVAIL_TORQUE = {-1.0, 0.0, +1.0};
    static final double RESET_BOUND = 0.1;

    private static final EnvironmentSpec SPEC = new EnvironmentSpec(
            ID, observationSpace(), new DiscreteSpace(3), 500, -100.0);

    private double[] state;

    @Override
    public EnvironmentSpec spec() {
        return SPEC;
    }

    @Override
    protected double[] resetWith(SplittableRandom random) {
        double[] initial = new double[4];
        for (int i = 0; i < initial.length; i++) {
            // Gymnasium draws in float64 and keeps the state as float32
            initial[i] = (float) random.nextDouble(-RESET_BOUND, RESET_BOUND);
        }
        state = initial;
        return observation();
    }

    @Override
    public double[] resetToState(double[] newState) {
        state = ClassicControl.checkedState("Acrobot", newState, 4);
        return observation();
    }

    @Override
    public StepResult step(double[] action) {
        int a = ClassicControl.discreteAction("Acrobot", action, 3);
        if (state == null) {
            throw new IllegalStateException("Call reset before step");
        }
        double torque = AVAIL_TORQUE[a];
        double[] next = rk4(new double[] {state[0], state[1], state[2], state[3], torque});
        next[0] = wrap(next[0], -Math.PI, Math.PI);
        next[1] = wrap(next[1], -Math.PI, Math.PI);
        next[2] = bound(next[2], -MAX_VEL_1, MAX_VEL_1);
        next[3] = bound(next[3], -MAX_VEL_2, MAX_VEL_2);
        state = next;
        boolean terminated = -Math.cos(state[0]) - Math.cos(state[1] + state[0]) > 1.0;
        double reward = terminated ? 0.0 : -1.0;
        return new StepResult(observation(), reward, terminated, false);
    }

    /** acrobot.py's rk4 over t = [0, dt]: one classical Runge-Kutta step, returning the first 4 values. */
    private static double[] rk4(double[] y0) {
        double dt = DT - 0;
        double dt2 = dt / 2.0;
        double[] k1 = dsdt(y0);
        double[] k2 = dsdt(axpy(y0, dt2, k1));
        double[] k3 = dsdt(axpy(y0, dt2, k2));
        double[] k4 = dsdt(axpy(y0, dt, k3));
        double scale = dt / 6.0;
        double[] out = new double[4];
        for (int i = 0; i < 4; i++) {
            out[i] = y0[i] + scale * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        }
        return out;
    }

    private static double[] axpy(double[] y, double a, double[] k) {
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = y[i] + a * k[i];
        }
        return out;
    }

    /** The "book" equations of motion; the state augmented with the torque, whose derivative is 0. */
    private static double[] dsdt(double[] s) {
        double m1 = LINK_MASS_1;
        double m2 = LINK_MASS_2;
        double l1 = LINK_LENGTH_1;
        double lc1 = LINK_COM_POS_1;
        double lc2 = LINK_COM_POS_2;
        double i1 = LINK_MOI;
        double i2 = LINK_MOI;
        double g = GRAVITY;
        double a = s[4];
        double theta1 = s[0];
        double theta2 = s[1];
        double dtheta1 = s[2];
        double dtheta2 = s[3];
        double d1 = m1 * (lc1 * lc1) + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * Math.cos(theta2)) + i1 + i2;
        double d2 = m2 * (lc2 * lc2 + l1 * lc2 * Math.cos(theta2)) + i2;
        double phi2 = m2 * lc2 * g * Math.cos(theta1 + theta2 - Math.PI / 2.0);
        double phi1 = -m2 * l1 * lc2 * (dtheta2 * dtheta2) * Math.sin(theta2)
                - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * Math.sin(theta2)
                + (m1 * lc1 + m2 * l1) * g * Math.cos(theta1 - Math.PI / 2)
                + phi2;
        double ddtheta2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * (dtheta1 * dtheta1) * Math.sin(theta2) - phi2)
                / (m2 * (lc2 * lc2) + i2 - (d2 * d2) / d1);
        double ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
        return new double[] {dtheta1, dtheta2, ddtheta1, ddtheta2, 0.0};
    }

    /** acrobot.py's wrap: shifts x by whole turns until m <= x <= M. */
    static double wrap(double x, double m, double M) {
        double diff = M - m;
        while (x > M) {
            x = x - diff;
        }
        while (x < m) {
            x = x + diff;
        }
        return x;
    }

    /** acrobot.py's bound: {@code min(max(x, m), M)}. */
    static double bound(double x, double m, double M) {
        double lower = m > x ? m : x;
        return M < lower ? M : lower;
    }

    @Override
    public double[] state() {
        if (state == null) {
            throw new IllegalStateException("Call reset before reading the state");
        }
        return state.clone();
    }

    private double[] observation() {
        return ClassicControl.toFloat32(
                Math.cos(state[0]), Math.sin(state[0]), Math.cos(state[1]), Math.sin(state[1]), state[2], state[3]);
    }

    private static BoxSpace observationSpace() {
        double[] high = ClassicControl.toFloat32(1.0, 1.0, 1.0, 1.0, MAX_VEL_1, MAX_VEL_2);
        return BoxSpace.of(ClassicControl.negated(high), high);
    }
}

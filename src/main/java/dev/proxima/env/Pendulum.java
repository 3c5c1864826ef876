package dev.proxima.env;

import java.util.SplittableRandom;

/**
 * Gymnasium's {@code Pendulum-v1} ({@code gymnasium/envs/classic_control/pendulum.py}) with
 * g = 10: a pendulum driven by a torque in [-2, 2] (a {@code Box(-2, 2, (1,), float32)} action;
 * values outside are clipped by the environment, as Gymnasium does), to be swung up and held
 * upright. Each step costs {@code angle_normalize(th)^2 + 0.1 thdot^2 + 0.001 u^2}; the
 * angular velocity is clipped to +-8 and the episode never terminates, only the time limit of
 * {@link TimeLimit} ends it.
 *
 * <p>The state [th, thdot] is float64 as Gymnasium's; observations are [cos th, sin th, thdot]
 * rounded to float32. The clipped action u is float32 in Gymnasium, and numpy 2 keeps
 * {@code 3.0 * u} and {@code 0.001 * u**2} in float32, so they are computed in float here too.
 * The operations follow pendulum.py in the same order.
 */
public final class Pendulum extends SeededEnvironment {

    public static final String ID = "Pendulum-v1";

    static final double MAX_SPEED = 8;
    static final double MAX_TORQUE = 2.0;
    static final double DT = 0.05;
    static final double G = 10.0;
    static final double M = 1.0;
    static final double L = 1.0;
    static final double RESET_ANGLE = Math.PI;
    static final double RESET_SPEED = 1.0;

    private static final EnvironmentSpec SPEC = new EnvironmentSpec(
            ID, observationSpace(),
            BoxSpace.of(new double[] {-MAX_TORQUE}, new double[] {MAX_TORQUE}), 200, null);

    private double[] state;

    @Override
    public EnvironmentSpec spec() {
        return SPEC;
    }

    @Override
    protected double[] resetWith(SplittableRandom random) {
        state = new double[] {
            random.nextDouble(-RESET_ANGLE, RESET_ANGLE),
            random.nextDouble(-RESET_SPEED, RESET_SPEED),
        };
        return observation();
    }

    @Override
    public double[] resetToState(double[] newState) {
        state = ClassicControl.checkedState("Pendulum", newState, 2);
        return observation();
    }

    @Override
    public StepResult step(double[] action) {
        float torque = ClassicControl.continuousAction("Pendulum", action);
        if (state == null) {
            throw new IllegalStateException("Call reset before step");
        }
        double th = state[0];
        double thdot = state[1];
        // u = np.clip(u, -self.max_torque, self.max_torque)[0]: a float32
        float u = Math.min(Math.max(torque, (float) -MAX_TORQUE), (float) MAX_TORQUE);
        double normalized = angleNormalize(th);
        float torqueCost = (float) 0.001 * (u * u);
        double costs = normalized * normalized + 0.1 * (thdot * thdot) + torqueCost;

        float torqueTerm = (float) (3.0 / (M * (L * L))) * u;
        double newthdot = thdot + (3 * G / (2 * L) * Math.sin(th) + torqueTerm) * DT;
        newthdot = Math.min(Math.max(newthdot, -MAX_SPEED), MAX_SPEED);
        double newth = th + newthdot * DT;

        state = new double[] {newth, newthdot};
        return new StepResult(observation(), -costs, false, false);
    }

    /** pendulum.py's {@code ((x + pi) % (2 pi)) - pi}, with numpy's (Python's) floored modulo. */
    static double angleNormalize(double x) {
        double a = x + Math.PI;
        double b = 2 * Math.PI;
        double mod = a % b; // C fmod
        if (mod != 0) {
            if ((b < 0) != (mod < 0)) {
                mod += b;
            }
        } else {
            mod = Math.copySign(0.0, b);
        }
        return mod - Math.PI;
    }

    @Override
    public double[] state() {
        if (state == null) {
            throw new IllegalStateException("Call reset before reading the state");
        }
        return state.clone();
    }

    private double[] observation() {
        return ClassicControl.toFloat32(Math.cos(state[0]), Math.sin(state[0]), state[1]);
    }

    private static BoxSpace observationSpace() {
        double[] high = ClassicControl.toFloat32(1.0, 1.0, MAX_SPEED);
        return BoxSpace.of(ClassicControl.negated(high), high);
    }
}

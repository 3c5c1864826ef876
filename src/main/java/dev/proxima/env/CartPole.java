package dev.proxima.env;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Gymnasium's {@code CartPole-v1} ({@code gymnasium/envs/classic_control/cartpole.py}) with the
 * default Euler integrator and reward of 1 per step. The state is kept in double precision as
 * Gymnasium does; observations are the state rounded to float32, as
 * {@code np.array(self.state, dtype=np.float32)}. The time limit is applied by {@link TimeLimit}.
 */
public final class CartPole extends SeededEnvironment {

    public static final String ID = "CartPole-v1";

    private static final double GRAVITY = 9.8;
    private static final double MASS_CART = 1.0;
    private static final double MASS_POLE = 0.1;
    private static final double TOTAL_MASS = MASS_POLE + MASS_CART;
    private static final double LENGTH = 0.5; // half the pole's length
    private static final double POLE_MASS_LENGTH = MASS_POLE * LENGTH;
    private static final double FORCE_MAG = 10.0;
    private static final double TAU = 0.02; // seconds between state updates
    private static final double THETA_THRESHOLD_RADIANS = 12 * 2 * Math.PI / 360;
    private static final double X_THRESHOLD = 2.4;
    private static final double RESET_BOUND = 0.05;

    private static final EnvironmentSpec SPEC = new EnvironmentSpec(
            ID, observationSpace(), new DiscreteSpace(2), 500, 475.0);

    private double[] state;
    /** Whether a step of this episode has already terminated (Gymnasium's steps_beyond_terminated). */
    private boolean terminatedBefore;

    @Override
    public EnvironmentSpec spec() {
        return SPEC;
    }

    @Override
    protected double[] resetWith(SplittableRandom random) {
        double[] initial = new double[4];
        for (int i = 0; i < initial.length; i++) {
            initial[i] = random.nextDouble(-RESET_BOUND, RESET_BOUND);
        }
        return start(initial);
    }

    @Override
    public double[] resetToState(double[] newState) {
        if (newState == null || newState.length != 4) {
            throw new IllegalArgumentException("CartPole state must have 4 values, got "
                    + (newState == null ? "null" : newState.length));
        }
        for (double value : newState) {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException(
                        "CartPole state must be finite, got " + Arrays.toString(newState));
            }
        }
        return start(newState.clone());
    }

    private double[] start(double[] initial) {
        state = initial;
        terminatedBefore = false;
        return observation();
    }

    @Override
    public StepResult step(double[] action) {
        int push = parseAction(action);
        if (state == null) {
            throw new IllegalStateException("Call reset before step");
        }
        advance(push == 1 ? FORCE_MAG : -FORCE_MAG);

        double x = state[0];
        double theta = state[2];
        boolean terminated = x < -X_THRESHOLD || x > X_THRESHOLD
                || theta < -THETA_THRESHOLD_RADIANS || theta > THETA_THRESHOLD_RADIANS;
        // Gymnasium rewards the first terminating step; stepping on past it (which it warns
        // about) gives 0 for each step that is again out of bounds, 1 for one back within them.
        double reward = terminated && terminatedBefore ? 0.0 : 1.0;
        terminatedBefore |= terminated;
        return new StepResult(observation(), reward, terminated, false);
    }

    /** One Euler step. The operation order follows cartpole.py so the doubles match bit for bit. */
    private void advance(double force) {
        double x = state[0];
        double xDot = state[1];
        double theta = state[2];
        double thetaDot = state[3];
        double cosTheta = Math.cos(theta);
        double sinTheta = Math.sin(theta);

        double temp = (force + POLE_MASS_LENGTH * (thetaDot * thetaDot) * sinTheta) / TOTAL_MASS;
        double thetaAcc = (GRAVITY * sinTheta - cosTheta * temp)
                / (LENGTH * (4.0 / 3.0 - MASS_POLE * (cosTheta * cosTheta) / TOTAL_MASS));
        double xAcc = temp - POLE_MASS_LENGTH * thetaAcc * cosTheta / TOTAL_MASS;

        state = new double[] {
            x + TAU * xDot,
            xDot + TAU * xAcc,
            theta + TAU * thetaDot,
            thetaDot + TAU * thetaAcc,
        };
    }

    private static int parseAction(double[] action) {
        if (action == null || action.length != 1) {
            throw new IllegalArgumentException("CartPole action must be a single value (0 or 1), got "
                    + (action == null ? "null" : Arrays.toString(action)));
        }
        if (action[0] != 0.0 && action[0] != 1.0) {
            throw new IllegalArgumentException(
                    "CartPole action must be 0 (push left) or 1 (push right), got " + action[0]);
        }
        return (int) action[0];
    }

    @Override
    public double[] state() {
        if (state == null) {
            throw new IllegalStateException("Call reset before reading the state");
        }
        return state.clone();
    }

    private double[] observation() {
        double[] observation = new double[state.length];
        for (int i = 0; i < state.length; i++) {
            observation[i] = (float) state[i];
        }
        return observation;
    }

    private static BoxSpace observationSpace() {
        double[] high = {
            (float) (X_THRESHOLD * 2),
            Double.POSITIVE_INFINITY,
            (float) (THETA_THRESHOLD_RADIANS * 2),
            Double.POSITIVE_INFINITY,
        };
        double[] low = Arrays.stream(high).map(v -> -v).toArray();
        return BoxSpace.of(low, high);
    }
}

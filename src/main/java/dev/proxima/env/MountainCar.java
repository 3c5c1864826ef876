package dev.proxima.env;

import java.util.SplittableRandom;

/**
 * Gymnasium's {@code MountainCar-v0} ({@code gymnasium/envs/classic_control/mountain_car.py}): a
 * car in a valley, pushed left (action 0), not pushed (1) or pushed right (2), too weak to drive
 * straight up the right hill. The velocity is clipped to +-0.07 and the position to [-1.2, 0.6],
 * where the left wall stops the car. The episode terminates when the car reaches the flag at
 * position 0.5 (with velocity >= 0); every step is rewarded -1. The time limit is applied by
 * {@link TimeLimit}.
 *
 * <p>The state [position, velocity] is kept in double precision as Gymnasium's; observations are
 * the state rounded to float32. The operations follow mountain_car.py in the same order.
 */
public final class MountainCar extends SeededEnvironment {

    public static final String ID = "MountainCar-v0";

    static final double MIN_POSITION = -1.2;
    static final double MAX_POSITION = 0.6;
    static final double MAX_SPEED = 0.07;
    static final double GOAL_POSITION = 0.5;
    static final double GOAL_VELOCITY = 0;
    static final double FORCE = 0.001;
    static final double GRAVITY = 0.0025;
    static final double RESET_LOW = -0.6;
    static final double RESET_HIGH = -0.4;

    private static final EnvironmentSpec SPEC = new EnvironmentSpec(
            ID, observationSpace(), new DiscreteSpace(3), 200, -110.0);

    private double[] state;

    @Override
    public EnvironmentSpec spec() {
        return SPEC;
    }

    @Override
    protected double[] resetWith(SplittableRandom random) {
        state = new double[] {random.nextDouble(RESET_LOW, RESET_HIGH), 0.0};
        return observation();
    }

    @Override
    public double[] resetToState(double[] newState) {
        state = ClassicControl.checkedState("MountainCar", newState, 2);
        return observation();
    }

    @Override
    public StepResult step(double[] action) {
        int a = ClassicControl.discreteAction("MountainCar", action, 3);
        if (state == null) {
            throw new IllegalStateException("Call reset before step");
        }
        double position = state[0];
        double velocity = state[1];
        velocity += (a - 1) * FORCE + Math.cos(3 * position) * (-GRAVITY);
        velocity = clip(velocity, -MAX_SPEED, MAX_SPEED);
        position += velocity;
        position = clip(position, MIN_POSITION, MAX_POSITION);
        if (position == MIN_POSITION && velocity < 0) {
            velocity = 0;
        }
        boolean terminated = position >= GOAL_POSITION && velocity >= GOAL_VELOCITY;
        state = new double[] {position, velocity};
        return new StepResult(observation(), -1.0, terminated, false);
    }

    /** {@code np.clip} of a scalar. */
    private static double clip(double x, double low, double high) {
        return Math.min(Math.max(x, low), high);
    }

    @Override
    public double[] state() {
        if (state == null) {
            throw new IllegalStateException("Call reset before reading the state");
        }
        return state.clone();
    }

    private double[] observation() {
        return ClassicControl.toFloat32(state);
    }

    private static BoxSpace observationSpace() {
        return BoxSpace.of(
                ClassicControl.toFloat32(MIN_POSITION, -MAX_SPEED),
                ClassicControl.toFloat32(MAX_POSITION, MAX_SPEED));
    }
}

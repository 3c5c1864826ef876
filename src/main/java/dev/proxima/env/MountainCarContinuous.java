package dev.proxima.env;

import java.util.SplittableRandom;

/**
 * Gymnasium's {@code MountainCarContinuous-v0}
 * ({@code gymnasium/envs/classic_control/continuous_mountain_car.py}): the mountain car driven by
 * a continuous force in [-1, 1] (a {@code Box(-1, 1, (1,), float32)} action; values outside are
 * clipped by the environment, as Gymnasium does). The episode terminates when the car reaches the
 * flag at position 0.45 (with velocity >= 0), rewarded 100; each step costs 0.1 * action^2, of
 * the action as given, before clipping. The time limit is applied by {@link TimeLimit}.
 *
 * <p>Gymnasium's arithmetic here mixes float32, float64 and Python floats: the state is float64
 * after a reset but float32 after every step, the action is float32, and numpy 2 computes a
 * float32 combined with a Python float in float32 (NEP 50), comparisons included. {@link Num}
 * follows those rules so the trajectories match Gymnasium's exactly. Actions are rounded to
 * float32, the action space's dtype, before use.
 */
public final class MountainCarContinuous extends SeededEnvironment {

    public static final String ID = "MountainCarContinuous-v0";

    static final double MIN_ACTION = -1.0;
    static final double MAX_ACTION = 1.0;
    static final double MIN_POSITION = -1.2;
    static final double MAX_POSITION = 0.6;
    static final double MAX_SPEED = 0.07;
    static final double GOAL_POSITION = 0.45;
    static final double GOAL_VELOCITY = 0;
    static final double POWER = 0.0015;
    static final double GRAVITY = 0.0025;
    static final double RESET_LOW = -0.6;
    static final double RESET_HIGH = -0.4;

    private static final EnvironmentSpec SPEC = new EnvironmentSpec(
            ID, observationSpace(),
            BoxSpace.of(new double[] {MIN_ACTION}, new double[] {MAX_ACTION}), 999, 90.0);

    private double[] state;
    /** Whether the state is float32, as after a step, or float64, as after a reset. */
    private boolean stateIsFloat32;

    @Override
    public EnvironmentSpec spec() {
        return SPEC;
    }

    @Override
    protected double[] resetWith(SplittableRandom random) {
        return start(new double[] {random.nextDouble(RESET_LOW, RESET_HIGH), 0.0});
    }

    /** Starts an episode from a float64 state, as a reset does. */
    @Override
    public double[] resetToState(double[] newState) {
        return start(ClassicControl.checkedState("MountainCarContinuous", newState, 2));
    }

    private double[] start(double[] initial) {
        state = initial;
        stateIsFloat32 = false;
        return ClassicControl.toFloat32(state);
    }

    @Override
    public StepResult step(double[] action) {
        float a = ClassicControl.continuousAction("MountainCarContinuous", action);
        if (state == null) {
            throw new IllegalStateException("Call reset before step");
        }
        Num position = stateIsFloat32 ? Num.float32(state[0]) : Num.float64(state[0]);
        Num velocity = stateIsFloat32 ? Num.float32(state[1]) : Num.float64(state[1]);
        Num actionValue = Num.float32(a);
        // force = min(max(action[0], self.min_action), self.max_action), with Python's min/max
        Num force = Num.python(MIN_ACTION).gt(actionValue) ? Num.python(MIN_ACTION) : actionValue;
        force = Num.python(MAX_ACTION).lt(force) ? Num.python(MAX_ACTION) : force;

        // velocity += force * self.power - 0.0025 * math.cos(3 * position)
        Num gravity = Num.python(GRAVITY * Math.cos(position.times(Num.python(3)).value()));
        velocity = velocity.plus(force.times(Num.python(POWER)).minus(gravity));
        if (velocity.gt(Num.python(MAX_SPEED))) {
            velocity = Num.python(MAX_SPEED);
        }
        if (velocity.lt(Num.python(-MAX_SPEED))) {
            velocity = Num.python(-MAX_SPEED);
        }
        position = position.plus(velocity);
        if (position.gt(Num.python(MAX_POSITION))) {
            position = Num.python(MAX_POSITION);
        }
        if (position.lt(Num.python(MIN_POSITION))) {
            position = Num.python(MIN_POSITION);
        }
        if (position.eq(Num.python(MIN_POSITION)) && velocity.lt(Num.python(0))) {
            velocity = Num.python(0);
        }
        boolean terminated = position.ge(Num.python(GOAL_POSITION)) && velocity.ge(Num.python(GOAL_VELOCITY));

        double reward = terminated ? 100.0 : 0.0;
        // math.pow(action[0], 2) of a float32 is exact in double
        reward -= ((double) a * (double) a) * 0.1;

        state = ClassicControl.toFloat32(position.value(), velocity.value());
        stateIsFloat32 = true;
        return new StepResult(state.clone(), reward, terminated, false);
    }

    @Override
    public double[] state() {
        if (state == null) {
            throw new IllegalStateException("Call reset before reading the state");
        }
        return state.clone();
    }

    private static BoxSpace observationSpace() {
        return BoxSpace.of(
                ClassicControl.toFloat32(MIN_POSITION, -MAX_SPEED),
                ClassicControl.toFloat32(MAX_POSITION, MAX_SPEED));
    }

    /**
     * A number as numpy 2 sees it: a {@code np.float32} or {@code np.float64} scalar, or a Python
     * float. Arithmetic on two of them is done in float64 unless one is float32 and the other
     * float32 or a Python float, which numpy then rounds to float32 and computes in float32; the
     * result has that type. Comparisons use the same precision.
     */
    record Num(double value, Kind kind) {

        enum Kind { FLOAT32, FLOAT64, PYTHON }

        static Num float32(double value) {
            return new Num((float) value, Kind.FLOAT32);
        }

        static Num float64(double value) {
            return new Num(value, Kind.FLOAT64);
        }

        static Num python(double value) {
            return new Num(value, Kind.PYTHON);
        }

        private Kind resultKind(Num other) {
            if (kind == Kind.FLOAT64 || other.kind == Kind.FLOAT64) {
                return Kind.FLOAT64;
            }
            if (kind == Kind.FLOAT32 || other.kind == Kind.FLOAT32) {
                return Kind.FLOAT32;
            }
            return Kind.PYTHON;
        }

        Num plus(Num other) {
            Kind k = resultKind(other);
            return k == Kind.FLOAT32
                    ? float32((float) value + (float) other.value)
                    : new Num(value + other.value, k);
        }

        Num minus(Num other) {
            Kind k = resultKind(other);
            return k == Kind.FLOAT32
                    ? float32((float) value - (float) other.value)
                    : new Num(value - other.value, k);
        }

        Num times(Num other) {
            Kind k = resultKind(other);
            return k == Kind.FLOAT32
                    ? float32((float) value * (float) other.value)
                    : new Num(value * other.value, k);
        }

        /** Whether the comparison is done in float32 (otherwise float64; no value is NaN here). */
        private boolean inFloat32(Num other) {
            return resultKind(other) == Kind.FLOAT32;
        }

        boolean gt(Num other) {
            return inFloat32(other) ? (float) value > (float) other.value : value > other.value;
        }

        boolean lt(Num other) {
            return inFloat32(other) ? (float) value < (float) other.value : value < other.value;
        }

        boolean ge(Num other) {
            return inFloat32(other) ? (float) value >= (float) other.value : value >= other.value;
        }

        boolean eq(Num other) {
            return inFloat32(other) ? (float) value == (float) other.value : value == other.value;
        }
    }
}

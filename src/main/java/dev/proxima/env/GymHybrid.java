package dev.proxima.env;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * gym-hybrid's {@code BaseEnv} (thomashirtz/gym-hybrid, {@code gym_hybrid/environments.py}): an
 * agent on the field [-1, 1]^2 is to stop inside a target circle of radius 0.1. Each step takes a
 * parameterized action (a {@link HybridSpace}, given as the flat vector
 * {@code {type, acceleration, rotation}}): type 0 accelerates by {@code 0.5 * acceleration}
 * (clamped into [0, 1]), type 1 turns by {@code pi/2 * rotation} (clamped into [-1, 1]), type 2
 * brakes by 0.1; the parameter a type does not use is ignored. How the agent moves is the
 * subclass's: {@link Moving} ({@code MovingAgent}) or {@link Sliding} ({@code SlidingAgent}).
 *
 * <p>The reward is the decrease of the distance to the target minus a penalty of 0.001, plus 1
 * on the step the agent stands still inside the target, which ends the episode; leaving the
 * field, or the step count exceeding 200 (on step 201), ends it with a reward of -1. All three
 * endings are reported as {@code terminated}: the observation carries {@code current_step / 200},
 * so the time-out is part of the MDP, with its own -1, not a cut of an episode that could have
 * gone on. The spec's {@code maxEpisodeSteps} is 201 so that {@link TimeLimit} never ends an
 * episode before the environment does (on step 201 it marks truncated as well as the
 * environment's terminated, and terminated decides: no bootstrapping). There is no reward
 * threshold: gym-hybrid registers none, and the return of a successful episode depends on the
 * drawn start ({@code 1 + d0 - d_end - 0.001 * steps}, d0 the initial distance to the target's
 * centre, d_end &lt; 0.1 the final one), so no one number says solved.
 *
 * <p>The arithmetic follows the Python operation by operation, in float64 as it is there (the
 * observation is the plain list {@code get_state} returns, not rounded to float32), so that the
 * recorded episodes replay bit for bit up to libm: see GymHybridReplayTest for what differs in
 * the last bit (numpy's cos/sin/arctan2 and {@code x**2}, which is glibc's pow) and by how much.
 * {@link Math#cos}/{@link Math#sin} are used rather than StrictMath's because they round like
 * glibc's far more often (all but 0.2% of arguments, against 3.3% for fdlibm).
 * Where Python's semantics differ from Java's they are reproduced: Python's {@code %} on floats
 * (numpy's, the result has the divisor's sign), and Python's {@code min}/{@code max}, which keep
 * the first argument unless the second is strictly smaller/larger (so {@code max(-0.0, 0)} is
 * -0.0, where {@link Math#max} gives 0.0; for Sliding that decides the sign of an arctan2
 * argument).
 *
 * <p>The internal state ({@link #state()}, {@link #resetToState}) is the agent's
 * {@code [x, y, speed, theta]} (Sliding adds {@code phi}) followed by
 * {@code [target.x, target.y, current_step]}.
 *
 * <p>As in the Python, stepping after an episode ended goes on from where it stopped
 * (current_step keeps counting), nothing prevents it.
 */
abstract sealed class GymHybrid extends SeededEnvironment permits Moving, Sliding {

    static final double MAX_TURN = Math.PI / 2;
    static final double MAX_ACCELERATION = 0.5;
    static final double DELTA_T = 0.005;
    static final int MAX_STEP = 200;
    static final double PENALTY = 0.001;
    static final double BREAK_VALUE = 0.1;
    static final double FIELD_SIZE = 1.0;
    static final double TARGET_RADIUS = 0.1;

    /** The action types (environments.py's action ids). */
    static final int ACCELERATE = 0;
    static final int TURN = 1;
    static final int BREAK = 2;

    /** Which parameter each action type reads: Action.parameter is {@code parameters[id]}. */
    static final int ACCELERATION = 0;
    static final int ROTATION = 1;

    /** gym-hybrid's {@code Tuple(Discrete(3), Box([0, -1], [1, 1]))}, with which type uses which parameter. */
    static final HybridSpace ACTION_SPACE = new HybridSpace(3,
            BoxSpace.of(new double[] {0, -1}, new double[] {1, 1}),
            new boolean[][] {{true, false}, {false, true}, {false, false}});

    /**
     * The Python declares {@code Box(np.ones(10), -np.ones(10))}, low above high (the old gym
     * accepted that unchecked; Gymnasium 1.x rejects it). Neither that nor [-1, 1] is the actual
     * range: the speed grows without bound (0.5 per acceleration), the distance reaches about 2.7
     * and the positions pass 1 on the step that leaves the field. So the space is unbounded.
     */
    static final BoxSpace OBSERVATION_SPACE = unbounded(10);

    /** The length of an action vector: the type and both parameters. */
    static final int ACTION_SIZE = ACTION_SPACE.flatSize();

    private static final int MAX_EPISODE_STEPS = MAX_STEP + 1;

    // BaseAgent's x, y, speed and theta (the direction the agent faces).
    protected double x;
    protected double y;
    protected double speed;
    protected double theta;

    private double targetX;
    private double targetY;
    private int currentStep;
    private boolean started;

    private final EnvironmentSpec spec;

    GymHybrid(String id) {
        this.spec = new EnvironmentSpec(id, OBSERVATION_SPACE, ACTION_SPACE, MAX_EPISODE_STEPS, null);
    }

    @Override
    public final EnvironmentSpec spec() {
        return spec;
    }

    // --- the agent's physics (agents.py) --------------------------------------------------------

    /** {@code agent.accelerate(value)}, value in [0, 0.5]. */
    protected abstract void accelerate(double value);

    /** {@code agent.break_()}. */
    protected abstract void brake();

    /** {@code agent.turn(value)}, value in [-pi/2, pi/2]. */
    protected abstract void turn(double value);

    /** BaseAgent.reset: the position and direction; the speed is 0. Sliding's phi stays as it was. */
    private void resetAgent(double newX, double newY, double direction) {
        x = newX;
        y = newY;
        speed = 0;
        theta = direction;
    }

    /** BaseAgent._step: one time step along {@code angle} at the current speed. */
    protected final void move(double angle) {
        x += DELTA_T * speed * Math.cos(angle);
        y += DELTA_T * speed * Math.sin(angle);
    }

    /** The agent's part of the state: {@code [x, y, speed, theta]} and what the subclass adds. */
    protected double[] agentState() {
        return new double[] {x, y, speed, theta};
    }

    /** Sets the agent from {@link #agentState()}'s layout (already checked to be finite). */
    protected void setAgentState(double[] agent) {
        x = agent[0];
        y = agent[1];
        speed = agent[2];
        theta = agent[3];
    }

    /** The length of {@link #agentState()}. */
    protected int agentStateSize() {
        return 4;
    }

    // --- BaseEnv (environments.py) --------------------------------------------------------------

    @Override
    protected final double[] resetWith(SplittableRandom random) {
        currentStep = 0;
        double limit = FIELD_SIZE - TARGET_RADIUS;
        // The Python draws uniform([-limit, -limit, radius], [limit, limit, radius]): the third
        // value is the radius itself (0.1 + 0 * u), so only the position needs a draw here.
        targetX = random.nextDouble(-limit, limit);
        targetY = random.nextDouble(-limit, limit);
        double agentX = random.nextDouble(-FIELD_SIZE, FIELD_SIZE);
        double agentY = random.nextDouble(-FIELD_SIZE, FIELD_SIZE);
        double direction = random.nextDouble(0, 2 * Math.PI);
        resetAgent(agentX, agentY, direction);
        started = true;
        return observation();
    }

    @Override
    public final double[] resetToState(double[] state) {
        int agentSize = agentStateSize();
        String id = spec.id();
        if (state == null || state.length != agentSize + 3) {
            throw new IllegalArgumentException(id + " state must have " + (agentSize + 3) + " values "
                    + stateLayout() + ", got " + (state == null ? "null" : state.length));
        }
        for (double value : state) {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException(id + " state must be finite, got " + Arrays.toString(state));
            }
        }
        if (state[2] < 0) {
            throw new IllegalArgumentException(id + " speed (state[2]) must be >= 0, got " + state[2]);
        }
        double step = state[agentSize + 2];
        if (step != Math.rint(step) || step < 0 || step > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(id + " current_step (state[" + (agentSize + 2)
                    + "]) must be a whole number >= 0, got " + step);
        }
        setAgentState(Arrays.copyOf(state, agentSize));
        targetX = state[agentSize];
        targetY = state[agentSize + 1];
        currentStep = (int) step;
        started = true;
        return observation();
    }

    private String stateLayout() {
        return agentStateSize() == 4
                ? "[x, y, speed, theta, target_x, target_y, current_step]"
                : "[x, y, speed, theta, phi, target_x, target_y, current_step]";
    }

    @Override
    public final double[] state() {
        if (!started) {
            throw new IllegalStateException("Call reset before reading the state");
        }
        double[] agent = agentState();
        double[] state = Arrays.copyOf(agent, agent.length + 3);
        state[agent.length] = targetX;
        state[agent.length + 1] = targetY;
        state[agent.length + 2] = currentStep;
        return state;
    }

    @Override
    public final StepResult step(double[] action) {
        int type = parseAction(action);
        if (!started) {
            throw new IllegalStateException("Call reset before step");
        }
        double lastDistance = distance();
        currentStep++;

        if (type == TURN) {
            turn(MAX_TURN * pyMax(pyMin(action[1 + ROTATION], 1), -1));
        } else if (type == ACCELERATE) {
            accelerate(MAX_ACCELERATION * pyMax(pyMin(action[1 + ACCELERATION], 1), 0));
        } else {
            brake();
        }

        double reward;
        boolean done;
        double distance = distance();
        if (distance < TARGET_RADIUS && speed == 0) {
            reward = reward(lastDistance, distance, true);
            done = true;
        } else if (Math.abs(x) > FIELD_SIZE || Math.abs(y) > FIELD_SIZE || currentStep > MAX_STEP) {
            reward = -1;
            done = true;
        } else {
            reward = reward(lastDistance, distance, false);
            done = false;
        }
        return new StepResult(observation(), reward, done, false);
    }

    /** get_reward: {@code last_distance - distance - penalty + (1 if goal else 0)}. */
    private static double reward(double lastDistance, double distance, boolean goal) {
        return lastDistance - distance - PENALTY + (goal ? 1 : 0);
    }

    /** get_state. */
    private double[] observation() {
        double distance = distance();
        return new double[] {
            x,
            y,
            speed,
            Math.cos(theta),
            Math.sin(theta),
            targetX,
            targetY,
            distance,
            distance > TARGET_RADIUS ? 0 : 1,
            currentStep / (double) MAX_STEP,
        };
    }

    /** BaseEnv.distance: {@code np.sqrt(((x1 - x2) ** 2) + ((y1 - y2) ** 2))}. */
    private double distance() {
        return Math.sqrt(square(x - targetX) + square(y - targetY));
    }

    /**
     * The action type, checked: {@code {type, acceleration, rotation}} with type an integer in
     * 0..2. The parameter the type uses may be any number but NaN (infinities are clamped, as the
     * Python clamps them; a NaN would pass its min/max and poison the state); the unused one is
     * not read.
     */
    private int parseAction(double[] action) {
        String id = spec.id();
        if (action == null || action.length != ACTION_SIZE) {
            throw new IllegalArgumentException(id + " action must be " + ACTION_SIZE
                    + " values {type, acceleration, rotation}, got "
                    + (action == null ? "null" : Arrays.toString(action)));
        }
        if (!ACTION_SPACE.allowsType(action[0])) {
            throw new IllegalArgumentException(id + " action type must be an integer in 0..2"
                    + " (0 accelerate, 1 turn, 2 break), got " + action[0]);
        }
        int type = (int) action[0];
        if (type == ACCELERATE && Double.isNaN(action[1 + ACCELERATION])) {
            throw new IllegalArgumentException(id + " acceleration (action[1]) must be a number, got NaN");
        }
        if (type == TURN && Double.isNaN(action[1 + ROTATION])) {
            throw new IllegalArgumentException(id + " rotation (action[2]) must be a number, got NaN");
        }
        return type;
    }

    // --- Python's arithmetic -------------------------------------------------------------------

    /** Python's (and numpy's) {@code a % b} on floats: C fmod, then moved to the sign of b. */
    static double pyMod(double a, double b) {
        double mod = a % b; // C fmod, exact
        if (mod != 0) {
            if ((b < 0) != (mod < 0)) {
                mod += b;
            }
        } else {
            mod = Math.copySign(0.0, b);
        }
        return mod;
    }

    /** Python's {@code min(a, b)}: a unless b is strictly smaller. */
    static double pyMin(double a, double b) {
        return b < a ? b : a;
    }

    /** Python's {@code max(a, b)}: a unless b is strictly larger. */
    static double pyMax(double a, double b) {
        return b > a ? b : a;
    }

    /**
     * {@code v ** 2}. numpy and Python compute it with glibc's pow, which for a few arguments in
     * ten thousand (measured: 0.08%) rounds to the neighbour of the correctly rounded
     * {@code v * v} computed here.
     */
    static double square(double v) {
        return v * v;
    }

    private static BoxSpace unbounded(int size) {
        double[] low = new double[size];
        double[] high = new double[size];
        Arrays.fill(low, Double.NEGATIVE_INFINITY);
        Arrays.fill(high, Double.POSITIVE_INFINITY);
        return BoxSpace.of(low, high);
    }
}

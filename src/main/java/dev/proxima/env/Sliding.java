package dev.proxima.env;

/**
 * gym-hybrid's {@code Sliding-v0} ({@code SlidingEnv} with {@code SlidingAgent}): the agent keeps
 * a velocity vector, of magnitude speed and direction {@code phi}, apart from the direction theta
 * it faces. Accelerating adds a vector along theta to the velocity, turning turns only theta,
 * braking shortens the velocity (and, once it is 0, points phi along theta); the agent moves
 * along phi. The observation holds theta (as cos and sin) but not phi. See {@link GymHybrid} for
 * the rest; the state is {@code [x, y, speed, theta, phi, target_x, target_y, current_step]}.
 *
 * <p>phi is 0 when the environment is made, and a reset does not touch it: SlidingAgent sets it
 * in its constructor, BaseAgent.reset sets only x, y, speed and theta. So an episode starts with
 * the phi the previous episode of the same instance ended with (with speed 0, it only matters
 * until the first acceleration, which then adds to a zero-length vector pointing along phi).
 * That is ported as it is.
 */
public final class Sliding extends GymHybrid {

    public static final String ID = "Sliding-v0";

    /** The direction of the velocity; carried over from episode to episode (see the class doc). */
    private double phi = 0;

    public Sliding() {
        super(ID);
    }

    /** Adds the polar vectors (value, theta) and (speed, phi), as agents.py does. */
    @Override
    protected void accelerate(double value) {
        double newSpeed = Math.sqrt(square(value) + square(speed)
                + 2 * value * speed * Math.cos(phi - theta));
        double angle = theta + Math.atan2(speed * Math.sin(phi - theta),
                value + speed * Math.cos(phi - theta));
        speed = newSpeed;
        phi = angle;
        move(phi);
    }

    @Override
    protected void brake() {
        speed = speed < BREAK_VALUE ? 0 : speed - BREAK_VALUE;
        phi = speed == 0 ? theta : phi;
        move(phi);
    }

    @Override
    protected void turn(double value) {
        theta = pyMod(theta + value, 2 * Math.PI);
        move(phi);
    }

    @Override
    protected double[] agentState() {
        return new double[] {x, y, speed, theta, phi};
    }

    @Override
    protected void setAgentState(double[] agent) {
        super.setAgentState(agent);
        phi = agent[4];
    }

    @Override
    protected int agentStateSize() {
        return 5;
    }
}

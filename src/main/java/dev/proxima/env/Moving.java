package dev.proxima.env;

/**
 * gym-hybrid's {@code Moving-v0} ({@code MovingEnv} with {@code MovingAgent}): the agent moves in
 * the direction it faces, so a turn turns its motion too; no inertia. Its {@code phi} is None, so
 * {@code _step} moves along theta. See {@link GymHybrid} for the rest.
 */
public final class Moving extends GymHybrid {

    public static final String ID = "Moving-v0";

    public Moving() {
        super(ID);
    }

    @Override
    protected void accelerate(double value) {
        speed += value;
        move(theta);
    }

    @Override
    protected void brake() {
        speed = speed < BREAK_VALUE ? 0 : speed - BREAK_VALUE;
        move(theta);
    }

    @Override
    protected void turn(double value) {
        theta = pyMod(theta + value, 2 * Math.PI);
        move(theta);
    }
}

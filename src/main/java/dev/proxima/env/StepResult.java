package dev.proxima.env;

/**
 * What one environment step returns, as Gymnasium's {@code step}: the next observation, the
 * reward, {@code terminated} when the MDP reached a terminal state and {@code truncated} when a
 * time limit (or another outside condition) cut the episode short.
 */
public record StepResult(double[] observation, double reward, boolean terminated, boolean truncated) {

    public boolean done() {
        return terminated || truncated;
    }
}

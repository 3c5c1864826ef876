package dev.proxima.env;

/**
 * Gymnasium's {@code TimeLimit} wrapper: the step on which the number of steps since the last
 * reset reaches {@code spec().maxEpisodeSteps()} (and every later one) is marked truncated.
 */
public final class TimeLimit implements Environment {

    private final Environment inner;
    private final int maxEpisodeSteps;
    private int elapsedSteps;

    public TimeLimit(Environment inner) {
        this.inner = inner;
        this.maxEpisodeSteps = inner.spec().maxEpisodeSteps();
    }

    @Override
    public EnvironmentSpec spec() {
        return inner.spec();
    }

    @Override
    public double[] reset(long seed) {
        elapsedSteps = 0;
        return inner.reset(seed);
    }

    @Override
    public double[] reset() {
        elapsedSteps = 0;
        return inner.reset();
    }

    @Override
    public double[] resetToState(double[] state) {
        elapsedSteps = 0;
        return inner.resetToState(state);
    }

    @Override
    public StepResult step(double[] action) {
        StepResult result = inner.step(action);
        elapsedSteps++;
        if (elapsedSteps >= maxEpisodeSteps && !result.truncated()) {
            return new StepResult(result.observation(), result.reward(), result.terminated(), true);
        }
        return result;
    }

    @Override
    public double[] state() {
        return inner.state();
    }

    @Override
    public boolean[] actionMask() {
        return inner.actionMask();
    }

    /** Steps taken since the last reset. */
    public int elapsedSteps() {
        return elapsedSteps;
    }
}

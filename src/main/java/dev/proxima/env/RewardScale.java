package dev.proxima.env;

/**
 * Multiplies every reward of an environment by a constant (a job's {@code environment.rewardScale}):
 * the same task on another reward scale, which is what value normalisation is for.
 */
public final class RewardScale implements Environment {

    private final Environment inner;
    private final double scale;

    public RewardScale(Environment inner, double scale) {
        this.inner = inner;
        this.scale = scale;
    }

    @Override
    public EnvironmentSpec spec() {
        EnvironmentSpec spec = inner.spec();
        Double threshold = spec.rewardThreshold() == null ? null : spec.rewardThreshold() * scale;
        return new EnvironmentSpec(spec.id(), spec.observationSpace(), spec.actionSpace(), spec.maxEpisodeSteps(),
                threshold);
    }

    @Override
    public double[] reset(long seed) {
        return inner.reset(seed);
    }

    @Override
    public double[] reset() {
        return inner.reset();
    }

    @Override
    public StepResult step(double[] action) {
        StepResult result = inner.step(action);
        return new StepResult(result.observation(), result.reward() * scale, result.terminated(), result.truncated());
    }

    @Override
    public double[] state() {
        return inner.state();
    }

    @Override
    public double[] resetToState(double[] state) {
        return inner.resetToState(state);
    }

    @Override
    public boolean[] actionMask() {
        return inner.actionMask();
    }
}

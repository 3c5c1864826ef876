package dev.proxima.env;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimeLimitTest {

    /** Never terminates unless told to; its state is the number of steps since reset. */
    static final class CountingEnv implements Environment {
        private final EnvironmentSpec spec;
        private final int terminateAt;
        private int steps;

        CountingEnv(int maxEpisodeSteps, int terminateAt) {
            this.spec = new EnvironmentSpec("Counting-v0", BoxSpace.of(new double[] {0}, new double[] {1e9}),
                    new DiscreteSpace(1), maxEpisodeSteps, null);
            this.terminateAt = terminateAt;
        }

        @Override
        public EnvironmentSpec spec() {
            return spec;
        }

        @Override
        public double[] reset(long seed) {
            return reset();
        }

        @Override
        public double[] reset() {
            steps = 0;
            return state();
        }

        @Override
        public StepResult step(double[] action) {
            steps++;
            return new StepResult(state(), 1.0, steps == terminateAt, false);
        }

        @Override
        public double[] state() {
            return new double[] {steps};
        }

        @Override
        public double[] resetToState(double[] state) {
            steps = (int) state[0];
            return state();
        }
    }

    private static final double[] ACTION = {0};

    @Test
    void truncatesOnExactlyTheFiveHundredthStep() {
        TimeLimit env = new TimeLimit(new CountingEnv(500, -1));
        env.reset(1);

        for (int t = 1; t < 500; t++) {
            assertThat(env.step(ACTION).truncated()).as("step %d", t).isFalse();
        }
        StepResult last = env.step(ACTION);

        assertThat(last.truncated()).isTrue();
        assertThat(last.terminated()).isFalse();
        assertThat(last.observation()).containsExactly(500);
        assertThat(env.elapsedSteps()).isEqualTo(500);
        assertThat(env.step(ACTION).truncated()).as("stepping past the limit").isTrue();
    }

    @Test
    void terminatedAndTruncatedCanBothBeSet() {
        TimeLimit env = new TimeLimit(new CountingEnv(3, 3));
        env.reset();
        env.step(ACTION);
        env.step(ACTION);

        StepResult last = env.step(ACTION);

        assertThat(last.terminated()).isTrue();
        assertThat(last.truncated()).isTrue();
    }

    @Test
    void everyResetRestartsTheCount() {
        TimeLimit env = new TimeLimit(new CountingEnv(2, -1));
        env.reset();
        env.step(ACTION);
        env.reset(5);
        assertThat(env.step(ACTION).truncated()).isFalse();
        env.resetToState(new double[] {0});
        assertThat(env.step(ACTION).truncated()).isFalse();
        env.reset();
        assertThat(env.step(ACTION).truncated()).isFalse();
        assertThat(env.step(ACTION).truncated()).isTrue();
    }

    @Test
    void delegatesSpecAndState() {
        CountingEnv inner = new CountingEnv(10, -1);
        TimeLimit env = new TimeLimit(inner);

        assertThat(env.spec()).isSameAs(inner.spec());
        assertThat(env.resetToState(new double[] {4})).containsExactly(4);
        env.step(ACTION);
        assertThat(env.state()).containsExactly(5);
    }

    @Test
    void cartPoleFromTheRegistryIsCutAtFiveHundredSteps() {
        Environment env = new EnvironmentRegistry().create("CartPole-v1");
        double[] observation = env.resetToState(new double[] {0, 0, 0, 0});
        StepResult result;
        int steps = 0;
        do {
            // Pushing towards where the pole is falling keeps it up for well over 500 steps.
            double action = observation[2] + 0.5 * observation[3] > 0 ? 1 : 0;
            result = env.step(new double[] {action});
            observation = result.observation();
            steps++;
            assertThat(result.terminated()).as("step %d", steps).isFalse();
        } while (!result.done());

        assertThat(steps).isEqualTo(500);
        assertThat(result.truncated()).isTrue();
    }
}

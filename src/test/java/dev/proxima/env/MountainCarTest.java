package dev.proxima.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** MountainCar-v0 beyond the Gymnasium replays of {@link ClassicControlReplayTest}. */
class MountainCarTest {

    private static final double[] LEFT = {0};
    private static final double[] NONE = {1};
    private static final double[] RIGHT = {2};

    @Test
    void specIsGymnasiums() {
        EnvironmentSpec spec = new MountainCar().spec();

        assertThat(spec.id()).isEqualTo("MountainCar-v0");
        assertThat(spec.maxEpisodeSteps()).isEqualTo(200);
        assertThat(spec.rewardThreshold()).isEqualTo(-110.0);
        assertThat(spec.actionSpace()).isEqualTo(new DiscreteSpace(3));
        assertThat(spec.observationSpace()).isEqualTo(BoxSpace.of(
                new double[] {(float) -1.2, (float) -0.07}, new double[] {(float) 0.6, (float) 0.07}));
    }

    @Test
    void resetDrawsThePositionFromMinusPointSixToMinusPointFourAtRest() {
        MountainCar env = new MountainCar();
        double min = 0;
        double max = -1;
        for (long seed = 0; seed < 1000; seed++) {
            double[] observation = env.reset(seed);
            double[] state = env.state();
            assertThat(state[0]).isGreaterThanOrEqualTo(-0.6).isLessThan(-0.4);
            assertThat(state[1]).isEqualTo(0.0);
            assertThat(observation).containsExactly((float) state[0], 0.0);
            min = Math.min(min, state[0]);
            max = Math.max(max, state[0]);
        }
        assertThat(min).isLessThan(-0.599);
        assertThat(max).isGreaterThan(-0.401);
    }

    @Test
    void actionsPushLeftNotAtAllAndRight() {
        double[] start = {-0.5235987755982988, 0.0}; // cos(3 * position) ~ 6e-17: no slope
        double[] velocities = new double[3];
        double[][] actions = {LEFT, NONE, RIGHT};
        for (int a = 0; a < 3; a++) {
            MountainCar env = new MountainCar();
            env.resetToState(start);
            env.step(actions[a]);
            velocities[a] = env.state()[1];
        }
        assertThat(velocities[0]).isCloseTo(-0.001, within(1e-15));
        assertThat(velocities[1]).isCloseTo(0.0, within(1e-15));
        assertThat(velocities[2]).isCloseTo(0.001, within(1e-15));
    }

    @Test
    void theVelocityIsClippedToPointZeroSeven() {
        MountainCar env = new MountainCar();
        env.resetToState(new double[] {-0.5235987755982988, 0.07});

        env.step(RIGHT);

        assertThat(env.state()).containsExactly(-0.5235987755982988 + 0.07, 0.07);
    }

    @Test
    void theLeftWallStopsTheCar() {
        MountainCar env = new MountainCar();
        env.resetToState(new double[] {-1.19, -0.05});

        StepResult step = env.step(LEFT);

        assertThat(env.state()).containsExactly(-1.2, 0.0);
        assertThat(step.observation()).containsExactly((float) -1.2, 0.0);
        assertThat(step.terminated()).isFalse();
    }

    @Test
    void reachingTheFlagTerminates() {
        MountainCar env = new MountainCar();
        env.resetToState(new double[] {0.49, 0.03});

        StepResult step = env.step(RIGHT);

        assertThat(step.terminated()).isTrue();
        assertThat(step.reward()).isEqualTo(-1.0);
    }

    @Test
    void beyondTheFlagButRollingBackDoesNotTerminate() {
        MountainCar env = new MountainCar();
        env.resetToState(new double[] {0.56, -0.01});

        StepResult step = env.step(LEFT);

        assertThat(env.state()[0]).isGreaterThan(0.5);
        assertThat(step.terminated()).isFalse();
    }

    @Test
    void thePositionIsClippedAtTheRight() {
        MountainCar env = new MountainCar();
        env.resetToState(new double[] {0.59, 0.05});

        StepResult step = env.step(RIGHT);

        assertThat(env.state()[0]).isEqualTo(0.6);
        assertThat(step.terminated()).isTrue();
    }
}

package dev.proxima.env;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** MountainCarContinuous-v0 beyond the Gymnasium replays of {@link ClassicControlReplayTest}. */
class MountainCarContinuousTest {

    @Test
    void specIsGymnasiums() {
        EnvironmentSpec spec = new MountainCarContinuous().spec();

        assertThat(spec.id()).isEqualTo("MountainCarContinuous-v0");
        assertThat(spec.maxEpisodeSteps()).isEqualTo(999);
        assertThat(spec.rewardThreshold()).isEqualTo(90.0);
        assertThat(spec.actionSpace()).isEqualTo(new BoxSpace(new int[] {1}, new double[] {-1}, new double[] {1}));
        assertThat(spec.observationSpace()).isEqualTo(BoxSpace.of(
                new double[] {(float) -1.2, (float) -0.07}, new double[] {(float) 0.6, (float) 0.07}));
    }

    @Test
    void resetDrawsThePositionFromMinusPointSixToMinusPointFourAtRest() {
        MountainCarContinuous env = new MountainCarContinuous();
        for (long seed = 0; seed < 1000; seed++) {
            double[] observation = env.reset(seed);
            double[] state = env.state();
            assertThat(state[0]).isGreaterThanOrEqualTo(-0.6).isLessThan(-0.4);
            assertThat(state[1]).isEqualTo(0.0);
            assertThat(observation).containsExactly((float) state[0], 0.0);
        }
    }

    @Test
    void forcesBeyondTheBoundsAreClippedButCostTheirSquare() {
        double[] start = {-0.5, 0.01};
        StepResult clipped = stepFrom(start, 5.0);
        StepResult bound = stepFrom(start, 1.0);
        StepResult clippedLeft = stepFrom(start, -3.0);
        StepResult boundLeft = stepFrom(start, -1.0);

        assertThat(clipped.observation()).containsExactly(bound.observation());
        assertThat(clippedLeft.observation()).containsExactly(boundLeft.observation());
        assertThat(clipped.observation()[1]).isGreaterThan(clippedLeft.observation()[1]);
        assertThat(clipped.reward()).isEqualTo(-(25.0 * 0.1));
        assertThat(bound.reward()).isEqualTo(-(1.0 * 0.1));
        assertThat(clippedLeft.reward()).isEqualTo(-(9.0 * 0.1));
    }

    @Test
    void actionsAreTakenAsFloat32() {
        double[] start = {-0.5, 0.01};
        StepResult asDouble = stepFrom(start, 0.1);
        StepResult asFloat = stepFrom(start, (float) 0.1);

        assertThat(asDouble.observation()).containsExactly(asFloat.observation());
        assertThat(asDouble.reward()).isEqualTo(asFloat.reward()).isEqualTo(-((double) 0.1f * 0.1f) * 0.1);
    }

    @Test
    void reachingTheFlagIsRewardedOneHundredLessTheCost() {
        MountainCarContinuous env = new MountainCarContinuous();
        env.resetToState(new double[] {0.44, 0.02});

        StepResult step = env.step(new double[] {0.5});

        assertThat(step.terminated()).isTrue();
        assertThat(step.reward()).isEqualTo(100.0 - 0.25 * 0.1);
    }

    @Test
    void theStateIsFloat32AfterAStep() {
        MountainCarContinuous env = new MountainCarContinuous();
        env.resetToState(new double[] {-0.5234, 0.0123});

        StepResult step = env.step(new double[] {0.3});

        assertThat(env.state()).containsExactly(step.observation());
        assertThat(env.state()).containsExactly(ClassicControl.toFloat32(env.state()));
    }

    @Test
    void theLeftWallStopsTheCar() {
        MountainCarContinuous env = new MountainCarContinuous();
        env.resetToState(new double[] {-1.19, -0.05});

        env.step(new double[] {-1});

        assertThat(env.state()).containsExactly((float) -1.2, 0.0);
    }

    @Test
    void theVelocityIsClippedToPointZeroSeven() {
        MountainCarContinuous env = new MountainCarContinuous();
        env.resetToState(new double[] {-0.5235987755982988, 0.07});

        env.step(new double[] {1});

        assertThat(env.state()[1]).isEqualTo((float) 0.07);
    }

    private static StepResult stepFrom(double[] state, double action) {
        MountainCarContinuous env = new MountainCarContinuous();
        env.resetToState(state);
        return env.step(new double[] {action});
    }
}

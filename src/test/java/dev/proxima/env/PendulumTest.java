package dev.proxima.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Pendulum-v1 beyond the Gymnasium replays of {@link ClassicControlReplayTest}. */
class PendulumTest {

    @Test
    void specIsGymnasiums() {
        EnvironmentSpec spec = new Pendulum().spec();

        assertThat(spec.id()).isEqualTo("Pendulum-v1");
        assertThat(spec.maxEpisodeSteps()).isEqualTo(200);
        assertThat(spec.rewardThreshold()).isNull();
        assertThat(spec.actionSpace()).isEqualTo(new BoxSpace(new int[] {1}, new double[] {-2}, new double[] {2}));
        assertThat(spec.observationSpace()).isEqualTo(BoxSpace.of(new double[] {-1, -1, -8}, new double[] {1, 1, 8}));
    }

    @Test
    void resetDrawsTheAngleFromMinusToPlusPiAndTheSpeedFromMinusToPlusOne() {
        Pendulum env = new Pendulum();
        double[] min = {0, 0};
        double[] max = {0, 0};
        for (long seed = 0; seed < 1000; seed++) {
            double[] observation = env.reset(seed);
            double[] state = env.state();
            assertThat(state[0]).isGreaterThanOrEqualTo(-Math.PI).isLessThan(Math.PI);
            assertThat(state[1]).isGreaterThanOrEqualTo(-1.0).isLessThan(1.0);
            assertThat(observation).containsExactly(
                    (float) Math.cos(state[0]), (float) Math.sin(state[0]), (float) state[1]);
            for (int i = 0; i < 2; i++) {
                min[i] = Math.min(min[i], state[i]);
                max[i] = Math.max(max[i], state[i]);
            }
        }
        assertThat(min[0]).isLessThan(-3.1);
        assertThat(max[0]).isGreaterThan(3.1);
        assertThat(min[1]).isLessThan(-0.99);
        assertThat(max[1]).isGreaterThan(0.99);
    }

    @Test
    void torquesBeyondTheBoundsAreClippedBeforeTheCost() {
        double[] start = {0.3, -0.7};

        assertSameStep(stepFrom(start, 10.0), stepFrom(start, 2.0));
        assertSameStep(stepFrom(start, -7.5), stepFrom(start, -2.0));
    }

    @Test
    void theCostIsTheSquaredAngleFromUprightSpeedAndTorque() {
        Pendulum env = new Pendulum();
        env.resetToState(new double[] {4.0, -1.5});

        StepResult step = env.step(new double[] {0.5});

        double angle = 4.0 - 2 * Math.PI;
        assertThat(step.reward()).isCloseTo(-(angle * angle + 0.1 * 1.5 * 1.5 + 0.001 * 0.25),
                within(1e-9));
        assertThat(step.terminated()).isFalse();
        // upright and at rest, with no torque, costs nothing
        env.resetToState(new double[] {0, 0});
        assertThat(env.step(new double[] {0}).reward()).isEqualTo(-0.0);
    }

    @Test
    void theAngularVelocityIsClippedToEight() {
        Pendulum env = new Pendulum();
        env.resetToState(new double[] {Math.PI / 2, 7.9});

        env.step(new double[] {2});

        assertThat(env.state()).containsExactly(Math.PI / 2 + 8.0 * 0.05, 8.0);
    }

    @Test
    void theAngleIsNotWrappedInTheState() {
        Pendulum env = new Pendulum();
        env.resetToState(new double[] {3.1, 8});

        env.step(new double[] {2});

        assertThat(env.state()[0]).isGreaterThan(Math.PI);
    }

    @Test
    void angleNormalizeAsPendulumPy() {
        // values from gymnasium.envs.classic_control.pendulum.angle_normalize
        assertThat(Pendulum.angleNormalize(-4.0)).isEqualTo(2.2831853071795862);
        assertThat(Pendulum.angleNormalize(4.0)).isEqualTo(-2.2831853071795862);
        assertThat(Pendulum.angleNormalize(3 * Math.PI)).isEqualTo(-Math.PI);
        assertThat(Pendulum.angleNormalize(Math.PI)).isEqualTo(-Math.PI);
        assertThat(Pendulum.angleNormalize(-Math.PI)).isEqualTo(-Math.PI);
        assertThat(Pendulum.angleNormalize(0.0)).isEqualTo(0.0);
        assertThat(Pendulum.angleNormalize(2 * Math.PI)).isEqualTo(0.0);
        assertThat(Pendulum.angleNormalize(100.0)).isEqualTo(-0.5309649148733762);
        assertThat(Pendulum.angleNormalize(-100.0)).isEqualTo(0.5309649148733833);
    }

    private static StepResult stepFrom(double[] state, double torque) {
        Pendulum env = new Pendulum();
        env.resetToState(state);
        return env.step(new double[] {torque});
    }

    private static void assertSameStep(StepResult actual, StepResult expected) {
        assertThat(actual.observation()).containsExactly(expected.observation());
        assertThat(actual.reward()).isEqualTo(expected.reward());
    }
}

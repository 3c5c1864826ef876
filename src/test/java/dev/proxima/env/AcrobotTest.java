package dev.proxima.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Acrobot-v1 beyond the Gymnasium replays of {@link ClassicControlReplayTest}. */
class AcrobotTest {

    @Test
    void specIsGymnasiums() {
        EnvironmentSpec spec = new Acrobot().spec();

        assertThat(spec.id()).isEqualTo("Acrobot-v1");
        assertThat(spec.maxEpisodeSteps()).isEqualTo(500);
        assertThat(spec.rewardThreshold()).isEqualTo(-100.0);
        assertThat(spec.actionSpace()).isEqualTo(new DiscreteSpace(3));
        BoxSpace observations = (BoxSpace) spec.observationSpace();
        assertThat(observations.shape()).containsExactly(6);
        assertThat(observations.high()).containsExactly(1, 1, 1, 1, (float) (4 * Math.PI), (float) (9 * Math.PI));
        assertThat(observations.low()).containsExactly(-1, -1, -1, -1, -(float) (4 * Math.PI), -(float) (9 * Math.PI));
    }

    @Test
    void resetDrawsEachComponentFromMinusToPlusATenthAsFloat32() {
        Acrobot env = new Acrobot();
        double min = 1;
        double max = -1;
        for (long seed = 0; seed < 1000; seed++) {
            env.reset(seed);
            for (double v : env.state()) {
                assertThat(v).isBetween(-(double) (float) 0.1, (double) (float) 0.1).isEqualTo((double) (float) v);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        assertThat(min).isLessThan(-0.099);
        assertThat(max).isGreaterThan(0.099);
    }

    @Test
    void observationIsCosSinOfTheAnglesAndTheVelocitiesAsFloat32() {
        Acrobot env = new Acrobot();
        double[] observation = env.resetToState(new double[] {0.5, -2.0, 1.25, -3.5});

        assertThat(observation).containsExactly((float) Math.cos(0.5), (float) Math.sin(0.5),
                (float) Math.cos(-2.0), (float) Math.sin(-2.0), 1.25, -3.5);
    }

    @Test
    void restingStraightDownIsRewardedMinusOne() {
        Acrobot env = new Acrobot();
        env.resetToState(new double[] {0, 0, 0, 0});

        StepResult step = env.step(new double[] {1});

        assertThat(step.reward()).isEqualTo(-1.0);
        assertThat(step.terminated()).isFalse();
        assertThat(env.state()).containsExactly(new double[] {0, 0, 0, 0}, within(1e-12));
    }

    @Test
    void theFreeEndAboveTheBarTerminatesWithRewardZero() {
        Acrobot env = new Acrobot();
        env.resetToState(new double[] {Math.PI, 0, 0, 0}); // both links straight up

        StepResult step = env.step(new double[] {2});

        assertThat(step.terminated()).isTrue();
        assertThat(step.reward()).isEqualTo(0.0);
        // Gymnasium steps on after termination: it is again terminal, so again rewarded 0
        assertThat(env.step(new double[] {0}).reward()).isEqualTo(0.0);
    }

    @Test
    void anglesAreWrappedAndVelocitiesBounded() {
        Acrobot env = new Acrobot();
        env.resetToState(new double[] {3, -3, 12, -28});
        SplittableRandom random = new SplittableRandom(4);
        boolean hitBound = false;
        for (int t = 0; t < 300; t++) {
            env.step(new double[] {random.nextInt(3)});
            double[] s = env.state();
            assertThat(s[0]).isBetween(-Math.PI, Math.PI);
            assertThat(s[1]).isBetween(-Math.PI, Math.PI);
            assertThat(s[2]).isBetween(-Acrobot.MAX_VEL_1, Acrobot.MAX_VEL_1);
            assertThat(s[3]).isBetween(-Acrobot.MAX_VEL_2, Acrobot.MAX_VEL_2);
            hitBound |= Math.abs(s[2]) == Acrobot.MAX_VEL_1 || Math.abs(s[3]) == Acrobot.MAX_VEL_2;
        }
        assertThat(hitBound).as("a velocity reached its bound").isTrue();
    }

    @Test
    void wrapAndBoundAsAcrobotPy() {
        // values from gymnasium.envs.classic_control.acrobot.wrap
        assertThat(Acrobot.wrap(4.0, -Math.PI, Math.PI)).isEqualTo(-2.2831853071795862);
        assertThat(Acrobot.wrap(-10.0, -Math.PI, Math.PI)).isEqualTo(2.5663706143591725);
        assertThat(Acrobot.wrap(Math.PI, -Math.PI, Math.PI)).isEqualTo(Math.PI);
        assertThat(Acrobot.bound(13.0, -4 * Math.PI, 4 * Math.PI)).isEqualTo(4 * Math.PI);
        assertThat(Acrobot.bound(-13.0, -4 * Math.PI, 4 * Math.PI)).isEqualTo(-4 * Math.PI);
        assertThat(Acrobot.bound(1.5, -4 * Math.PI, 4 * Math.PI)).isEqualTo(1.5);
    }
}

package dev.proxima.vecenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxima.env.CartPole;
import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.env.StepResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncVecEnvTest {

    private static final int N = 3;
    private static final double THETA_LIMIT = 12 * 2 * Math.PI / 360;

    private static SyncVecEnv cartPoles() {
        return SyncVecEnv.of(new EnvironmentRegistry(), CartPole.ID, N);
    }

    private static double[][] actions(int... perEnv) {
        double[][] actions = new double[perEnv.length][];
        for (int i = 0; i < perEnv.length; i++) {
            actions[i] = new double[] {perEnv[i]};
        }
        return actions;
    }

    @Test
    void resetIsReproducibleAndSeedsEnvIWithSeedPlusI() {
        SyncVecEnv env = cartPoles();

        double[][] first = env.reset(42);
        double[][] second = env.reset(42);
        double[][] other = cartPoles().reset(43);

        assertThat(first).hasNumberOfRows(N);
        for (int i = 0; i < N; i++) {
            assertThat(second[i]).containsExactly(first[i]);
            assertThat(first[i]).containsExactly(new CartPole().reset(42 + i));
        }
        // env 0 of seed 43 is env 1 of seed 42
        assertThat(other[0]).containsExactly(first[1]);
        assertThat(first[0]).isNotEqualTo(first[1]);
        assertThat(env.size()).isEqualTo(N);
        assertThat(env.spec().id()).isEqualTo(CartPole.ID);
    }

    @Test
    void autoResetKeepsTheTerminalObservationAndStartsAFreshEpisode() {
        long seed = 10;
        SyncVecEnv env = cartPoles();
        env.reset(seed);
        // reference copies stepped in lockstep, reset by hand
        CartPole[] reference = new CartPole[N];
        for (int i = 0; i < N; i++) {
            reference[i] = new CartPole();
            reference[i].reset(seed + i);
        }
        int[] lengths = new int[N];
        int[] finishedPerEnv = new int[N];
        // always push right: every episode terminates within a few dozen steps
        int[] push = {1, 1, 0};

        for (int t = 0; t < 300; t++) {
            VecStep step = env.step(actions(push));
            List<Episode> expectedEpisodes = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                StepResult expected = reference[i].step(new double[] {push[i]});
                lengths[i]++;
                assertThat(step.rewards()[i]).isEqualTo(1.0);
                assertThat(step.terminated()[i]).isEqualTo(expected.terminated());
                assertThat(step.truncated()[i]).isFalse();
                if (expected.done()) {
                    assertThat(step.done(i)).isTrue();
                    // the terminal observation is kept, and it is out of bounds
                    assertThat(step.finalObservations()[i]).containsExactly(expected.observation());
                    double[] terminal = step.finalObservations()[i];
                    assertThat(Math.abs(terminal[0]) > 2.4 || Math.abs(terminal[2]) > THETA_LIMIT).isTrue();
                    // the returned observation already starts the next episode
                    double[] fresh = step.observations()[i];
                    assertThat(fresh).containsExactly(reference[i].reset());
                    for (double v : fresh) {
                        assertThat(Math.abs(v)).isLessThanOrEqualTo(0.05);
                    }
                    expectedEpisodes.add(new Episode(lengths[i], lengths[i]));
                    lengths[i] = 0;
                    finishedPerEnv[i]++;
                } else {
                    assertThat(step.done(i)).isFalse();
                    assertThat(step.finalObservations()[i]).isNull();
                    assertThat(step.observations()[i]).containsExactly(expected.observation());
                }
            }
            // CartPole's return is its length; episodes are listed in environment order
            assertThat(step.finishedEpisodes()).containsExactlyElementsOf(expectedEpisodes);
        }
        for (int i = 0; i < N; i++) {
            assertThat(finishedPerEnv[i]).as("episodes of env %d", i).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void timeLimitTruncationIsReportedWithItsFinalObservation() {
        SyncVecEnv env = SyncVecEnv.of(new EnvironmentRegistry(), CartPole.ID, 1);
        double[][] obs = env.reset(0);
        VecStep step = null;
        int steps = 0;
        // a simple balancing controller keeps the pole up for the whole 500-step limit
        do {
            double theta = obs[0][2];
            double thetaDot = obs[0][3];
            double x = obs[0][0];
            double xDot = obs[0][1];
            int action = 10 * theta + 2 * thetaDot + 0.1 * x + 0.5 * xDot > 0 ? 1 : 0;
            step = env.step(actions(action));
            obs = step.observations();
            steps++;
        } while (!step.done(0));

        assertThat(steps).isEqualTo(500);
        assertThat(step.truncated()[0]).isTrue();
        assertThat(step.terminated()[0]).isFalse();
        assertThat(step.finalObservations()[0]).isNotNull();
        assertThat(step.finishedEpisodes()).containsExactly(new Episode(500.0, 500));
        for (double v : step.observations()[0]) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(0.05);
        }
        // the next episode starts counting from zero: one more step is not truncated
        VecStep next = env.step(actions(0));
        assertThat(next.truncated()[0]).isFalse();
        assertThat(next.finishedEpisodes()).isEmpty();
    }

    @Test
    void resetClearsPartialEpisodeStatistics() {
        SyncVecEnv env = SyncVecEnv.of(new EnvironmentRegistry(), CartPole.ID, 1);
        env.reset(5);
        for (int t = 0; t < 3; t++) {
            assertThat(env.step(actions(1)).done(0)).isFalse();
        }

        env.reset(5);
        int length = 0;
        VecStep step;
        do {
            step = env.step(actions(1));
            length++;
        } while (!step.done(0));

        assertThat(step.finishedEpisodes()).containsExactly(new Episode(length, length));
    }

    @Test
    void needsAtLeastOneEnvironment() {
        assertThatThrownBy(() -> new SyncVecEnv(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}

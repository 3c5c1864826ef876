package dev.proxima.ppo.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * GAE(gamma, lambda) of {@link RolloutBuffer#computeReturnsAndAdvantages} against numbers worked
 * out by hand and against an independent reference: the explicit sum
 * A_t = sum_l (gamma lambda)^l delta_{t+l}, cut at the end of the episode, over per-environment
 * trajectories (not the buffer's flat layout).
 */
class GaeTest {

    private static final Offset<Double> EPS = within(1e-12);

    /** A buffer whose step-major arrays are given per step: row t holds the numEnvs values of step t. */
    private static RolloutBuffer buffer(double[][] rewards, double[][] values, boolean[][] episodeStarts) {
        int nSteps = rewards.length;
        int numEnvs = rewards[0].length;
        RolloutBuffer buffer = new RolloutBuffer(nSteps, numEnvs, 1, 1, 0, 0);
        for (int t = 0; t < nSteps; t++) {
            for (int e = 0; e < numEnvs; e++) {
                int index = t * numEnvs + e;
                buffer.rewards()[index] = rewards[t][e];
                buffer.values()[index] = values[t][e];
                buffer.episodeStarts()[index] = episodeStarts[t][e];
            }
        }
        return buffer;
    }

    private static double[][] column(double... perStep) {
        double[][] result = new double[perStep.length][1];
        for (int t = 0; t < perStep.length; t++) {
            result[t][0] = perStep[t];
        }
        return result;
    }

    private static boolean[][] column(boolean... perStep) {
        boolean[][] result = new boolean[perStep.length][1];
        for (int t = 0; t < perStep.length; t++) {
            result[t][0] = perStep[t];
        }
        return result;
    }

    private static void assertReturnsAreAdvantagesPlusValues(RolloutBuffer buffer) {
        for (int i = 0; i < buffer.size(); i++) {
            assertThat(buffer.returns()[i]).as("returns[%d]", i)
                    .isCloseTo(buffer.advantages()[i] + buffer.values()[i], EPS);
        }
    }

    // ---------------------------------------------------------------------------------------
    // One environment, hand-computed.
    //
    // gamma = 0.9, lambda = 0.8, gamma*lambda = 0.72
    // t           0     1     2     3     4
    // reward      1     2     0     1     3
    // V           0.5   1.0   1.5   0.2   0.4
    // start       T     F     F     T     F      (step 2 terminated: obs 3 starts a new episode)
    // lastValue = 2.0
    //
    // lastDone = false (step 4 bootstraps from lastValue):
    // delta4 = 3 + 0.9*2.0 - 0.4 = 4.4                    A4 = 4.4
    // delta3 = 1 + 0.9*0.4 - 0.2 = 1.16                   A3 = 1.16 + 0.72*4.4 = 4.328
    // delta2 = 0 + 0        - 1.5 = -1.5 (no bootstrap)   A2 = -1.5 (nothing flows back across)
    // delta1 = 2 + 0.9*1.5 - 1.0 = 2.35                   A1 = 2.35 + 0.72*(-1.5) = 1.27
    // delta0 = 1 + 0.9*1.0 - 0.5 = 1.4                    A0 = 1.4 + 0.72*1.27 = 2.3144
    // returns = A + V = 2.8144, 2.27, 0.0, 4.528, 4.8
    //
    // lastDone = true (step 4 ended its episode):
    // delta4 = 3 - 0.4 = 2.6                              A4 = 2.6
    //                                                     A3 = 1.16 + 0.72*2.6 = 3.032
    // steps 0..2 are unchanged (the termination at step 2 isolates them).
    // ---------------------------------------------------------------------------------------

    private static RolloutBuffer oneEnvWithTermination() {
        return buffer(column(1, 2, 0, 1, 3), column(0.5, 1.0, 1.5, 0.2, 0.4),
                column(true, false, false, true, false));
    }

    @Test
    void oneEnvLastStepNotDoneBootstrapsWithLastValue() {
        RolloutBuffer buffer = oneEnvWithTermination();

        buffer.computeReturnsAndAdvantages(new double[] {2.0}, new boolean[] {false}, 0.9, 0.8);

        assertThat(buffer.advantages()).containsExactly(new double[] {2.3144, 1.27, -1.5, 4.328, 4.4}, within(1e-12));
        assertThat(buffer.returns()).containsExactly(new double[] {2.8144, 2.27, 0.0, 4.528, 4.8}, within(1e-12));
        assertReturnsAreAdvantagesPlusValues(buffer);
    }

    @Test
    void oneEnvLastStepDoneDoesNotBootstrap() {
        RolloutBuffer buffer = oneEnvWithTermination();

        buffer.computeReturnsAndAdvantages(new double[] {2.0}, new boolean[] {true}, 0.9, 0.8);

        assertThat(buffer.advantages()).containsExactly(new double[] {2.3144, 1.27, -1.5, 3.032, 2.6}, within(1e-12));
        assertReturnsAreAdvantagesPlusValues(buffer);
    }

    @Test
    void lastValueIsIgnoredWhenTheLastStepIsDone() {
        RolloutBuffer a = oneEnvWithTermination();
        RolloutBuffer b = oneEnvWithTermination();

        a.computeReturnsAndAdvantages(new double[] {2.0}, new boolean[] {true}, 0.9, 0.8);
        b.computeReturnsAndAdvantages(new double[] {-1000.0}, new boolean[] {true}, 0.9, 0.8);

        assertThat(a.advantages()).containsExactly(b.advantages());
    }

    // ---------------------------------------------------------------------------------------
    // Truncation (time limit) at step 1, one env, gamma = 0.9, lambda = 0.8.
    // The collector has already added gamma * V(final obs) = 0.9 * 5.0 = 4.5 to reward 1.
    // t           0     1          2     3
    // reward      1     1 + 4.5    1     1
    // V           2.0   3.0        0.0   1.0
    // start       T     F          T     F
    // lastValue = 0.5, lastDone = false
    // delta3 = 1 + 0.9*0.5 - 1.0 = 0.45        A3 = 0.45
    // delta2 = 1 + 0.9*1.0 - 0.0 = 1.9         A2 = 1.9 + 0.72*0.45 = 2.224
    // delta1 = 5.5 - 3.0 = 2.5 (no V(obs 2))   A1 = 2.5
    // delta0 = 1 + 0.9*3.0 - 2.0 = 1.7         A0 = 1.7 + 0.72*2.5 = 3.5
    // So the truncated step is valued as r + gamma V(final obs), the same as if the episode
    // had continued into the final observation, and nothing leaks from the next episode.
    // ---------------------------------------------------------------------------------------

    @Test
    void truncatedStepCarriesItsBootstrapInTheRewardAndEndsTheEpisode() {
        double gamma = 0.9;
        double finalObservationValue = 5.0;
        RolloutBuffer buffer = buffer(column(1, 1 + gamma * finalObservationValue, 1, 1),
                column(2.0, 3.0, 0.0, 1.0), column(true, false, true, false));

        buffer.computeReturnsAndAdvantages(new double[] {0.5}, new boolean[] {false}, gamma, 0.8);

        assertThat(buffer.advantages()).containsExactly(new double[] {3.5, 2.5, 2.224, 0.45}, within(1e-12));
        assertReturnsAreAdvantagesPlusValues(buffer);

        // The truncated step's return is exactly r + gamma * V(final obs), whatever the next
        // episode's values are.
        assertThat(buffer.returns()[1]).isCloseTo(1 + gamma * finalObservationValue, EPS);
        RolloutBuffer otherNextEpisode = buffer(column(1, 1 + gamma * finalObservationValue, 7, -3),
                column(2.0, 3.0, 100.0, -50.0), column(true, false, true, false));
        otherNextEpisode.computeReturnsAndAdvantages(new double[] {9.0}, new boolean[] {false}, gamma, 0.8);
        assertThat(otherNextEpisode.advantages()[0]).isCloseTo(buffer.advantages()[0], EPS);
        assertThat(otherNextEpisode.advantages()[1]).isCloseTo(buffer.advantages()[1], EPS);
    }

    // ---------------------------------------------------------------------------------------
    // Two environments, 5 steps, flat index step*2 + env.
    // env 0: terminates at step 1 (start[2] = T), last step not done.
    // env 1: truncated at step 2 (reward carries gamma*V(final)), start[3] = T, last step done.
    // ---------------------------------------------------------------------------------------

    @Test
    void twoEnvsAreIndependentAndMatchTheExplicitSum() {
        double gamma = 0.95;
        double lambda = 0.9;
        double finalValueEnv1 = 4.0;
        double[][] rewards = {
            {1.0, 0.5},
            {2.0, -1.0},
            {0.5, 1.0 + gamma * finalValueEnv1},
            {1.5, 2.0},
            {-0.5, 1.0},
        };
        double[][] values = {
            {0.3, 1.2},
            {0.7, -0.4},
            {1.1, 2.5},
            {0.2, 0.9},
            {0.6, 1.7},
        };
        boolean[][] starts = {
            {true, true},
            {false, false},
            {true, false},
            {false, true},
            {false, false},
        };
        double[] lastValues = {1.3, 8.0};
        boolean[] lastDones = {false, true};
        RolloutBuffer buffer = buffer(rewards, values, starts);

        buffer.computeReturnsAndAdvantages(lastValues, lastDones, gamma, lambda);

        for (int e = 0; e < 2; e++) {
            double[] r = new double[5];
            double[] v = new double[5];
            boolean[] s = new boolean[5];
            for (int t = 0; t < 5; t++) {
                r[t] = rewards[t][e];
                v[t] = values[t][e];
                s[t] = starts[t][e];
            }
            double[] expected = explicitSumGae(r, v, s, lastValues[e], lastDones[e], gamma, lambda);
            for (int t = 0; t < 5; t++) {
                assertThat(buffer.advantages()[t * 2 + e]).as("env %d step %d", e, t).isCloseTo(expected[t], EPS);
                assertThat(buffer.returns()[t * 2 + e]).as("env %d step %d", e, t)
                        .isCloseTo(expected[t] + v[t], EPS);
            }
        }

        // A few by hand:
        // env 0 step 1 (terminates): delta = 2.0 - 0.7 = 1.3, nothing from step 2.
        assertThat(buffer.advantages()[1 * 2 + 0]).isCloseTo(1.3, EPS);
        // env 1 step 2 (truncated): A = 1 + 0.95*4 - 2.5 = 2.3
        assertThat(buffer.advantages()[2 * 2 + 1]).isCloseTo(2.3, EPS);
        // env 1 step 4 (done): A = 1.0 - 1.7 = -0.7, lastValue 8.0 ignored
        assertThat(buffer.advantages()[4 * 2 + 1]).isCloseTo(-0.7, EPS);
        // env 0 step 4 (not done): A = -0.5 + 0.95*1.3 - 0.6 = 0.135
        assertThat(buffer.advantages()[4 * 2 + 0]).isCloseTo(0.135, EPS);
        assertReturnsAreAdvantagesPlusValues(buffer);
    }

    /**
     * A_t = sum_{l=0}^{end-t} (gamma lambda)^l delta_{t+l} where end is the last step of t's
     * episode within the buffer; delta_k = r_k + gamma V_{k+1} (1 - done_k) - V_k.
     */
    private static double[] explicitSumGae(double[] r, double[] v, boolean[] starts, double lastValue,
            boolean lastDone, double gamma, double lambda) {
        int n = r.length;
        double[] delta = new double[n];
        boolean[] done = new boolean[n];
        for (int k = 0; k < n; k++) {
            done[k] = k == n - 1 ? lastDone : starts[k + 1];
            double nextValue = k == n - 1 ? lastValue : v[k + 1];
            delta[k] = r[k] + gamma * nextValue * (done[k] ? 0 : 1) - v[k];
        }
        double[] advantages = new double[n];
        for (int t = 0; t < n; t++) {
            double sum = 0;
            for (int k = t; k < n; k++) {
                sum += Math.pow(gamma * lambda, k - t) * delta[k];
                if (done[k]) {
                    break;
                }
            }
            advantages[t] = sum;
        }
        return advantages;
    }

    // ---------------------------------------------------------------------------------------
    // gamma = 1, lambda = 1: the return is the undiscounted Monte Carlo return to the end of
    // the episode, plus lastValue if the buffer ends mid-episode.
    // rewards 1 2 3 4 5, start T F F T F (termination at step 2), lastValue 10, not done:
    // returns = 1+2+3, 2+3, 3, 4+5+10, 5+10 = 6, 5, 3, 19, 15 whatever the values are.
    // ---------------------------------------------------------------------------------------

    @Test
    void gammaOneLambdaOneGivesMonteCarloReturns() {
        RolloutBuffer buffer = buffer(column(1, 2, 3, 4, 5), column(0.3, -2.0, 7.5, 1.1, 0.0),
                column(true, false, false, true, false));

        buffer.computeReturnsAndAdvantages(new double[] {10.0}, new boolean[] {false}, 1.0, 1.0);

        assertThat(buffer.returns()).containsExactly(new double[] {6, 5, 3, 19, 15}, within(1e-12));
        assertThat(buffer.advantages())
                .containsExactly(new double[] {6 - 0.3, 5 + 2.0, 3 - 7.5, 19 - 1.1, 15 - 0.0}, within(1e-12));
    }

    // ---------------------------------------------------------------------------------------
    // lambda = 0: one-step TD, A_t = delta_t = r_t + gamma V_{t+1} (1 - done_t) - V_t.
    // gamma = 0.5, rewards 1 2 3 4, V 1 2 3 4, start T F T F, lastValue 6, not done:
    // delta0 = 1 + 0.5*2 - 1 = 1, delta1 = 2 - 2 = 0 (done), delta2 = 3 + 0.5*4 - 3 = 2,
    // delta3 = 4 + 0.5*6 - 4 = 3
    // ---------------------------------------------------------------------------------------

    @Test
    void lambdaZeroGivesOneStepTemporalDifference() {
        RolloutBuffer buffer = buffer(column(1, 2, 3, 4), column(1, 2, 3, 4), column(true, false, true, false));

        buffer.computeReturnsAndAdvantages(new double[] {6.0}, new boolean[] {false}, 0.5, 0.0);

        assertThat(buffer.advantages()).containsExactly(new double[] {1, 0, 2, 3}, within(1e-12));
        assertThat(buffer.returns()).containsExactly(new double[] {2, 2, 5, 7}, within(1e-12));
    }

    @Test
    void recomputingOverwritesPreviousAdvantages() {
        RolloutBuffer buffer = oneEnvWithTermination();
        buffer.computeReturnsAndAdvantages(new double[] {2.0}, new boolean[] {true}, 0.9, 0.8);

        buffer.computeReturnsAndAdvantages(new double[] {2.0}, new boolean[] {false}, 0.9, 0.8);

        assertThat(buffer.advantages()).containsExactly(new double[] {2.3144, 1.27, -1.5, 4.328, 4.4}, within(1e-12));
    }
}

package dev.proxima.ppo.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.proxima.ppo.rollout.RolloutBuffer;
import org.junit.jupiter.api.Test;

class MinibatchTest {

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double sampleStd(double[] values) {
        double mean = mean(values);
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return Math.sqrt(squares / (values.length - 1));
    }

    @Test
    void normalisationUsesTheSampleStandardDeviation() {
        // mean 2.5, sum of squared deviations 5: sample std sqrt(5/3) = 1.2909944..., population std 1.1180339...
        double[] values = {1, 2, 3, 4};
        double std = Math.sqrt(5.0 / 3.0);

        Minibatch.normalize(values);

        assertThat(values).containsExactly(new double[] {
            -1.5 / (std + 1e-8), -0.5 / (std + 1e-8), 0.5 / (std + 1e-8), 1.5 / (std + 1e-8)}, within(1e-15));
        // not the population std (ddof = 0), which would give -1.5 / 1.118 = -1.342
        assertThat(values[0]).isCloseTo(-1.161895, within(1e-6));
    }

    @Test
    void normalisedValuesHaveMeanZeroAndStdOne() {
        double[] values = {3.2, -1.0, 0.4, 7.7, 2.2, -4.5, 0.0, 1.1, 5.0};

        Minibatch.normalize(values);

        assertThat(mean(values)).isCloseTo(0.0, within(1e-12));
        assertThat(sampleStd(values)).isCloseTo(1.0, within(1e-7));
    }

    @Test
    void epsilonKeepsConstantAdvantagesFinite() {
        double[] values = {2.0, 2.0, 2.0};

        Minibatch.normalize(values);

        assertThat(values).containsExactly(0.0, 0.0, 0.0);
    }

    @Test
    void epsilonIsAddedToTheStd() {
        // tiny spread: the 1e-8 is comparable to the std (0.707e-8), so it visibly shrinks the result
        // (0.293 instead of the 0.707 that dividing by the std alone would give)
        double[] values = {-0.5e-8, 0.5e-8};
        double std = Math.sqrt(2 * 0.25e-16); // sample std of the two = 0.7071e-8

        Minibatch.normalize(values);

        assertThat(values[1]).isCloseTo(0.5e-8 / (std + 1e-8), within(1e-12));
        assertThat(values[1]).isLessThan(0.5);
    }

    private static RolloutBuffer buffer() {
        RolloutBuffer buffer = new RolloutBuffer(3, 2, 2, 1, 0, 0);
        for (int i = 0; i < buffer.size(); i++) {
            buffer.observations()[2 * i] = i;
            buffer.observations()[2 * i + 1] = -i;
            buffer.actions()[i] = i % 2;
            buffer.logProbs()[i] = -0.1 * i;
            buffer.advantages()[i] = i * i;
            buffer.returns()[i] = 10 + i;
        }
        return buffer;
    }

    @Test
    void gatherCopiesTheIndexedRowsAndNormalisesOnlyTheMinibatch() {
        RolloutBuffer buffer = buffer();
        int[] indices = {5, 0, 3, 1, 4, 2};

        Minibatch batch = Minibatch.gather(buffer, buffer.advantages(), indices, 1, 4, true);

        // rows 0, 3, 1
        assertThat(batch.size()).isEqualTo(3);
        assertThat(batch.observations()).containsExactly(0f, 0f, 3f, -3f, 1f, -1f);
        assertThat(batch.actions()).containsExactly(0, 1, 1);
        assertThat(batch.oldLogProbs()).containsExactly(new double[] {0.0, -0.3, -0.1}, within(1e-15));
        assertThat(batch.returns()).containsExactly(10, 13, 11);
        // advantages 0, 9, 1: mean 10/3, normalised within the minibatch
        assertThat(mean(batch.advantages())).isCloseTo(0.0, within(1e-12));
        assertThat(sampleStd(batch.advantages())).isCloseTo(1.0, within(1e-7));
        double std = sampleStd(new double[] {0, 9, 1});
        assertThat(batch.advantages()[1]).isCloseTo((9 - 10.0 / 3) / (std + 1e-8), within(1e-12));
        // the buffer itself is untouched
        assertThat(buffer.advantages()).containsExactly(0, 1, 4, 9, 16, 25);
    }

    @Test
    void gatherWithoutNormalisationKeepsRawAdvantages() {
        Minibatch batch = Minibatch.gather(buffer(), buffer().advantages(), new int[] {2, 4, 0, 1, 3, 5}, 0, 3, false);

        assertThat(batch.advantages()).containsExactly(4, 16, 0);
    }
}

package dev.proxima.ppo.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.proxima.ppo.config.Activation;
import dev.proxima.ppo.config.PpoConfig;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The notes' layered optimizer: a shared network's trunk, policy head and value head each step
 * at their own rate. Adam's first step moves every parameter with a gradient well above epsilon
 * by almost exactly its rate (m / sqrt(v) = g / |g|), so each group's largest change is its rate.
 */
class LayeredOptimizerTest {

    private static final int INPUTS = 3;
    private static final int HIDDEN = 8;
    private static final int POLICY_OUTPUTS = 2;
    private static final int ROWS = 4;

    private static Mlp network() {
        return Mlp.create(INPUTS, List.of(HIDDEN), Activation.TANH, new int[] {POLICY_OUTPUTS, 1},
                new double[] {0.01, 1}, true, 3e-4, 1e-5, new SplittableRandom(3));
    }

    /** One Adam step on made-up output gradients; returns how far each parameter moved. */
    private static float[] changeOfOneStep(Mlp mlp, SharedNetwork shared) {
        float[] before = mlp.parameters();
        float[] observations = new float[ROWS * INPUTS];
        for (int i = 0; i < observations.length; i++) {
            observations[i] = (float) Math.sin(1.3 * i + 0.4);
        }
        shared.forward(observations, ROWS);
        double[] policyGradient = new double[ROWS * POLICY_OUTPUTS];
        double[] valueGradient = new double[ROWS];
        for (int i = 0; i < policyGradient.length; i++) {
            policyGradient[i] = 0.3 * Math.cos(0.7 * i + 0.1);
        }
        for (int i = 0; i < ROWS; i++) {
            valueGradient[i] = 0.5 * Math.cos(1.9 * i + 0.2);
        }
        shared.backward(policyGradient, valueGradient, ROWS);
        shared.step(1.0);
        float[] after = mlp.parameters();
        float[] change = new float[before.length];
        for (int i = 0; i < change.length; i++) {
            change[i] = Math.abs(after[i] - before[i]);
        }
        return change;
    }

    /** Largest change per group: {trunk (the hidden layer), policy head rows, value head row}. */
    private static double[] largestChangePerGroup(float[] change) {
        int trunk = HIDDEN * INPUTS + HIDDEN;
        int outputs = POLICY_OUTPUTS + 1;
        double[] largest = new double[3];
        for (int i = 0; i < trunk; i++) {
            largest[0] = Math.max(largest[0], change[i]);
        }
        // the last layer: [outputs][HIDDEN] weights, then the outputs' biases
        for (int output = 0; output < outputs; output++) {
            int group = output < POLICY_OUTPUTS ? 1 : 2;
            for (int i = 0; i < HIDDEN; i++) {
                largest[group] = Math.max(largest[group], change[trunk + output * HIDDEN + i]);
            }
            largest[group] = Math.max(largest[group], change[trunk + outputs * HIDDEN + output]);
        }
        return largest;
    }

    @Test
    void eachGroupStepsAtItsOwnRateScaledByTheSchedule() {
        PpoConfig config = PpoConfig.builder().sharedNetwork(true).trunkLearningRate(1e-3)
                .policyHeadLearningRate(1e-5).valueHeadLearningRate(1e-1).trunkAdamEpsilon(1e-8)
                .policyHeadAdamEpsilon(1e-8).valueHeadAdamEpsilon(1e-8).build();
        Mlp mlp = network();
        SharedNetwork shared = new SharedNetwork(mlp);
        shared.setLearningRates(config.optimizer(), 0.5);

        double[] largest = largestChangePerGroup(changeOfOneStep(mlp, shared));

        assertThat(largest[0]).isCloseTo(0.5e-3, within(0.5e-3 * 1e-3));
        assertThat(largest[1]).isCloseTo(0.5e-5, within(0.5e-5 * 1e-3));
        assertThat(largest[2]).isCloseTo(0.5e-1, within(0.5e-1 * 1e-3));
    }

    @Test
    void aGroupsEpsilonIsItsOwn() {
        // the policy head's gradients are about 1e-2 per weight: an epsilon of 1 damps its step
        // about a hundredfold, while the trunk and the value head, at 1e-8, step at their full rate
        PpoConfig config = PpoConfig.builder().sharedNetwork(true).learningRate(1e-3).trunkAdamEpsilon(1e-8)
                .policyHeadAdamEpsilon(1.0).valueHeadAdamEpsilon(1e-8).build();
        Mlp mlp = network();
        SharedNetwork shared = new SharedNetwork(mlp);
        shared.setLearningRates(config.optimizer(), 1.0);

        double[] largest = largestChangePerGroup(changeOfOneStep(mlp, shared));

        assertThat(largest[0]).isCloseTo(1e-3, within(1e-6));
        assertThat(largest[1]).isLessThan(1e-4);
        assertThat(largest[2]).isCloseTo(1e-3, within(1e-6));
    }

    @Test
    void withoutDifferingGroupsTheSharedNetworkStepsAsOneAdam() {
        PpoConfig config = PpoConfig.builder().sharedNetwork(true).learningRate(1e-3).build();
        Mlp layered = network();
        SharedNetwork shared = new SharedNetwork(layered);
        shared.setLearningRates(config.optimizer(), 1.0);
        Mlp plain = network();
        plain.setLearningRate(1e-3);

        float[] layeredChange = changeOfOneStep(layered, shared);
        float[] plainChange = changeOfOneStep(plain, new SharedNetwork(plain));

        assertThat(layeredChange).containsExactly(plainChange);
    }

    @Test
    void theLayeredStepWithEqualGroupsIsExactlyOneAdamStep() {
        // every parameter of the last layer is stepped once, by its head, as one Adam would
        Mlp layered = network();
        layered.setLayeredRates(1e-3, 1e-5, new int[] {0, POLICY_OUTPUTS}, new double[] {1e-3, 1e-3},
                new double[] {1e-5, 1e-5});
        Mlp plain = network();
        plain.setLearningRate(1e-3);

        float[] layeredChange = changeOfOneStep(layered, new SharedNetwork(layered));
        float[] plainChange = changeOfOneStep(plain, new SharedNetwork(plain));

        assertThat(layeredChange).containsExactly(plainChange);
        assertThat(layered.parameters()).containsExactly(plain.parameters());
    }
}

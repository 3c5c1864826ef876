package dev.proxima.ppo.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxima.env.BoxSpace;
import dev.proxima.env.DiscreteSpace;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The up-front estimate of one iteration's memory: what the 1 GiB default lets through and what it stops. */
class IterationFootprintTest {

    private static final long GIB = 1L << 30;

    private static PpoConfig config(int nSteps, int batchSize, List<Integer> hidden) {
        return PpoConfig.builder().nSteps(nSteps).batchSize(batchSize).nEpochs(1)
                .network(new NetworkConfig(hidden, Activation.TANH)).build();
    }

    @Test
    void theRequestThatTookElevenGigabytesIsEstimatedInGigabytes() {
        IterationFootprint footprint = IterationFootprint.of(config(256, 65536, List.of(4000, 1000)), 256, 4,
                new DiscreteSpace(2));
        // measured: 0.5 GB to 11.15 GB of resident memory; the minibatch passes through two 4000-1000 networks
        assertThat(footprint.total()).isGreaterThan(5 * GIB);
        assertThat(footprint.dominantFields()).isEqualTo("batchSize");
    }

    @Test
    void largeButOrdinaryConfigurationsFitTheDefault() {
        // rl-zoo-sized work: CartPole x256 copies x 2048 steps, minibatches of 4096 through 256x256 networks
        assertThat(IterationFootprint.of(config(2048, 4096, List.of(256, 256)), 256, 4, new DiscreteSpace(2)).total())
                .isLessThan(GIB / 2);
        // a Humanoid-sized external environment: 376 observations, 17 actions, 16 copies x 2048 steps
        BoxSpace actions = BoxSpace.of(new double[17], filled(17, 1.0));
        assertThat(IterationFootprint.of(config(2048, 64, List.of(256, 256)), 16, 376, actions).total())
                .isLessThan(GIB / 4);
        // the zoo's CartPole itself is a few MiB
        assertThat(IterationFootprint.of(config(32, 256, List.of(64, 64)), 8, 4, new DiscreteSpace(2)).total())
                .isLessThan(16L << 20);
    }

    @Test
    void aLargeRolloutIsNamedByItsSteps() {
        IterationFootprint footprint = IterationFootprint.of(config(8192, 64, List.of(64, 64)), 8, 16_384,
                new DiscreteSpace(2));
        assertThat(footprint.rolloutBytes()).isGreaterThan(10 * GIB);
        assertThat(footprint.dominantFields()).isEqualTo("nSteps");
    }

    private static double[] filled(int n, double value) {
        double[] values = new double[n];
        java.util.Arrays.fill(values, value);
        return values;
    }
}

package dev.proxima.ppo.distribution;

import static dev.proxima.ppo.FiniteDifferences.assertClose;
import static dev.proxima.ppo.FiniteDifferences.finiteDifferences;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.proxima.env.BoxSpace;
import dev.proxima.ppo.archive.PolicyArchive;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.ppo.model.ActorCritic;
import dev.proxima.vecenv.ObservationNormalizer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** gSDE as SB3's StateDependentNoiseDistribution (full_std, no expln, detached latent features). */
class StateDependentNoiseTest {

    private static final int LATENT = 3;
    private static final int D = 2;

    @Test
    void theLogStdOfARowComesFromItsLatentFeatures() {
        StateDependentNoiseDistribution noise = StateDependentNoiseDistribution.create(LATENT, D, -1.0, 1e-3, 1e-5);
        float[] outputs = {0.5f, -0.25f};
        float[] latent = {1, 2, 0};
        float[] params = noise.parameters(outputs, 2, latent, 1);
        double variance = (1 + 4) * Math.exp(-2) + 1e-6;
        assertThat(params[0]).isEqualTo(0.5f);
        assertThat(params[1]).isEqualTo(-0.25f);
        assertThat((double) params[2]).isCloseTo(0.5 * Math.log(variance), within(1e-6));
        assertThat((double) params[3]).isCloseTo(0.5 * Math.log(variance), within(1e-6));
    }

    @Test
    void theLogStdGradientMatchesFiniteDifferences() {
        SplittableRandom random = new SplittableRandom(5);
        int rows = 4;
        float[] logStd = new float[LATENT * D];
        for (int i = 0; i < logStd.length; i++) {
            logStd[i] = (float) random.nextDouble(-1.5, 0.5);
        }
        float[] latent = new float[rows * LATENT];
        for (int i = 0; i < latent.length; i++) {
            latent[i] = (float) random.nextDouble(-1, 1);
        }
        double[] upstream = new double[rows * 2 * D];
        for (int i = 0; i < upstream.length; i++) {
            upstream[i] = random.nextDouble(-1, 1);
        }
        double[] analytic = StateDependentNoiseDistribution.create(LATENT, D, logStd, 1e-3, 1e-5)
                .logStdGradient(upstream, latent, rows);
        // in double precision: the float parameters would drown the differences in rounding
        double[] numeric = finiteDifferences(logStd, point -> {
            double loss = 0;
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < D; j++) {
                    double variance = 1e-6;
                    for (int k = 0; k < LATENT; k++) {
                        double feature = latent[r * LATENT + k];
                        variance += feature * feature * Math.exp(2.0 * point[k * D + j]);
                    }
                    loss += upstream[r * 2 * D + D + j] * 0.5 * Math.log(variance);
                }
            }
            return loss;
        });
        assertClose(analytic, numeric);
    }

    @Test
    void noiseIsLatentTimesTheMatrixAndStaysUntilTheNextReset() {
        StateDependentNoiseDistribution noise = StateDependentNoiseDistribution.create(LATENT, D, -0.5, 1e-3, 1e-5);
        SplittableRandom random = new SplittableRandom(2);
        float[] latent = {0.3f, -0.7f, 0.2f};
        noise.resetNoise(2, random);
        double[] first = new double[D];
        double[] again = new double[D];
        double[] otherEnv = new double[D];
        noise.addNoise(latent, 0, 0, first, 0);
        noise.addNoise(latent, 0, 0, again, 0);
        noise.addNoise(latent, 0, 1, otherEnv, 0);
        assertThat(again).containsExactly(first);
        assertThat(otherEnv).isNotEqualTo(first);
        noise.resetNoise(2, random);
        double[] afterReset = new double[D];
        noise.addNoise(latent, 0, 0, afterReset, 0);
        assertThat(afterReset).isNotEqualTo(first);
    }

    @Test
    void theNoiseHasTheVarianceTheLogProbabilityAssumes() {
        StateDependentNoiseDistribution noise = StateDependentNoiseDistribution.create(LATENT, D, -0.5, 1e-3, 1e-5);
        SplittableRandom random = new SplittableRandom(3);
        float[] latent = {0.3f, -0.7f, 0.2f};
        int draws = 40_000;
        double sumSquares = 0;
        for (int i = 0; i < draws; i++) {
            noise.resetNoise(1, random);
            double[] sample = new double[D];
            noise.addNoise(latent, 0, 0, sample, 0);
            sumSquares += sample[1] * sample[1];
        }
        float[] params = noise.parameters(new float[D], D, latent, 1);
        double modelVariance = Math.exp(2 * params[D + 1]);
        assertThat(sumSquares / draws).isCloseTo(modelVariance, within(0.03 * modelVariance));
    }

    @Test
    void anArchivedGsdePolicyActsAndTrainsOnIdentically() {
        PpoConfig config = PpoConfig.builder().useSde(true).logStdInit(-2.0).build();
        BoxSpace actions = BoxSpace.of(new double[] {-2, -2}, new double[] {2, 2});
        ActorCritic model = ActorCritic.create(3, actions, config, 11);
        float[] obs = {0.1f, -0.4f, 0.9f, 0.5f, 0.2f, -0.3f};
        train(model, obs);
        ActorCritic restored = PolicyArchive.read(PolicyArchive.write(model, null, null), true).model();
        assertThat(restored.usesSde()).isTrue();
        assertThat(restored.policyParameters(obs, 2)).containsExactly(model.policyParameters(obs, 2));
        train(model, obs);
        train(restored, obs);
        assertThat(restored.policyParameters(obs, 2)).containsExactly(model.policyParameters(obs, 2));
        assertThat(restored.meanStd(obs)).isEqualTo(model.meanStd(obs));
    }

    @Test
    void rolloutActionsFollowTheExplorationMatrixUntilItIsRedrawn() {
        PpoConfig config = PpoConfig.builder().useSde(true).logStdInit(-1.0).build();
        ActorCritic model = ActorCritic.create(3, BoxSpace.of(new double[] {-2}, new double[] {2}), config, 4);
        float[] obs = {0.1f, -0.4f, 0.9f};
        SplittableRandom random = new SplittableRandom(9);
        model.resetNoise(1, random);
        double first = model.explore(obs, 1, null, random).actions()[0];
        double same = model.explore(obs, 1, null, random).actions()[0];
        model.resetNoise(1, random);
        double redrawn = model.explore(obs, 1, null, random).actions()[0];
        assertThat(same).isEqualTo(first);
        assertThat(redrawn).isNotEqualTo(first);
    }

    /** One step on made-up gradients for mean, log-std and value. */
    private static void train(ActorCritic model, float[] obs) {
        model.forward(obs, 2);
        double[] policyGradient = {0.2, -0.1, 0.3, 0.05, -0.2, 0.1, -0.3, 0.2};
        model.step(policyGradient, new double[] {0.1, -0.2}, 2, 0.5);
    }
}

package dev.proxima.ppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.ppo.config.Objective;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.ppo.distribution.ActionDistribution;
import dev.proxima.ppo.distribution.Categorical;
import dev.proxima.ppo.distribution.DiagGaussian;
import dev.proxima.ppo.update.Minibatch;
import dev.proxima.ppo.update.PpoLoss;
import dev.proxima.ppo.update.PpoUpdater;
import dev.proxima.support.LearningSeeds;
import dev.proxima.vecenv.SyncVecEnv;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The adaptive KL penalty objective (PPO-KL, Schulman et al. 2017, section 4). */
class KlPenaltyTest {

    static LongStream seeds() {
        return LearningSeeds.orDefault(4);
    }

    @Test
    void betaDoublesAboveOneAndAHalfTargetsAndHalvesBelowTargetOverOneAndAHalf() {
        double target = 0.01;
        assertThat(PpoUpdater.adaptKlBeta(1.0, 0.016, target)).isEqualTo(2.0);
        assertThat(PpoUpdater.adaptKlBeta(1.0, 0.015, target)).isEqualTo(1.0);
        assertThat(PpoUpdater.adaptKlBeta(1.0, 0.01, target)).isEqualTo(1.0);
        assertThat(PpoUpdater.adaptKlBeta(1.0, 0.0067, target)).isEqualTo(1.0);
        assertThat(PpoUpdater.adaptKlBeta(1.0, 0.0066, target)).isEqualTo(0.5);
    }

    @Test
    void categoricalKlIsTheClosedForm() {
        float[] old = {0.2f, -0.4f, 1.0f};
        float[] current = {0.5f, 0.1f, -0.3f};
        double[] p = softmax(old);
        double[] q = softmax(current);
        double expected = 0;
        for (int j = 0; j < 3; j++) {
            expected += p[j] * Math.log(p[j] / q[j]);
        }
        Categorical categorical = new Categorical(3);
        assertThat(categorical.kl(old, 0, current, 0)).isCloseTo(expected, within(1e-12));
        assertThat(categorical.kl(old, 0, old, 0)).isCloseTo(0.0, within(1e-15));
    }

    @Test
    void gaussianKlIsTheClosedForm() {
        float[] old = {0.3f, -1.0f, -0.5f, 0.2f};
        float[] current = {0.1f, -0.7f, -0.2f, 0.0f};
        double expected = 0;
        for (int j = 0; j < 2; j++) {
            double so = Math.exp(old[2 + j]);
            double sn = Math.exp(current[2 + j]);
            expected += Math.log(sn / so) + (so * so + Math.pow(old[j] - current[j], 2)) / (2 * sn * sn) - 0.5;
        }
        assertThat(new DiagGaussian(2).kl(old, 0, current, 0)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void klGradientsMatchFiniteDifferences() {
        checkKlGradient(new Categorical(3), new float[] {0.2f, -0.4f, 1.0f}, new float[] {0.5f, 0.1f, -0.3f});
        checkKlGradient(new DiagGaussian(2), new float[] {0.3f, -1.0f, -0.5f, 0.2f},
                new float[] {0.1f, -0.7f, -0.2f, 0.0f});
    }

    @Test
    void penalisedLossGradientMatchesFiniteDifferences() {
        Categorical distribution = new Categorical(3);
        float[] old = {0.2f, -0.4f, 1.0f, 0.0f, 0.3f, -0.2f};
        float[] current = {0.6f, -0.1f, 0.5f, 0.2f, 0.1f, -0.4f};
        double[] actions = {2, 0};
        double[] oldLogProbs = {distribution.logProb(old, 0, actions, 0), distribution.logProb(old, 3, actions, 1)};
        Minibatch batch = new Minibatch(new float[8], actions, oldLogProbs, new double[] {1.5, -0.7},
                new double[] {0, 0}, new double[] {0, 0}, old, null);
        float[] values = {0f, 0f};
        double beta = 3.0;
        PpoLoss.Result result = PpoLoss.evaluate(distribution, current, values, batch, 0.2, 0.0, 0.5, null, beta);
        for (int k = 0; k < current.length; k++) {
            float[] plus = current.clone();
            float[] minus = current.clone();
            plus[k] += 1e-3f;
            minus[k] -= 1e-3f;
            double numeric = (PpoLoss.evaluate(distribution, plus, values, batch, 0.2, 0.0, 0.5, null, beta).policyLoss()
                    - PpoLoss.evaluate(distribution, minus, values, batch, 0.2, 0.0, 0.5, null, beta).policyLoss())
                    / ((double) plus[k] - minus[k]);
            assertThat(result.policyGradient()[k]).as("logit " + k).isCloseTo(numeric, within(1e-6));
        }
        assertThat(result.meanKl()).isCloseTo(
                (distribution.kl(old, 0, current, 0) + distribution.kl(old, 3, current, 3)) / 2, within(1e-12));
    }

    @Tag("learning")
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void cartPoleLearnsWithTheKlPenaltyAndBetaAdapts(long seed) {
        PpoConfig config = PpoConfig.builder().objective(Objective.KL_PENALTY).klTarget(0.01).learningRate(0.001).nSteps(32)
                .batchSize(256).nEpochs(20).gamma(0.98).gaeLambda(0.8).build();
        PpoTrainer trainer = new PpoTrainer(config, SyncVecEnv.of(new EnvironmentRegistry(), "CartPole-v1", 8), seed);
        java.util.Set<Double> betas = new java.util.HashSet<>();
        Double[] last = {null};
        trainer.learn(40_960, report -> {
            betas.add(report.metrics().get("train/kl_beta"));
            last[0] = report.episodeReturnMean();
            return true;
        });
        System.out.printf("KL penalty seed %d: ep_rew_mean %.1f%n", seed, last[0]);
        assertThat(betas).hasSizeGreaterThan(1);
        assertThat(last[0]).isGreaterThan(100.0);
    }

    private static void checkKlGradient(ActionDistribution distribution, float[] old, float[] current) {
        double[] gradient = new double[current.length];
        distribution.accumulateKlGradient(old, 0, current, 0, 1.0, gradient);
        for (int k = 0; k < current.length; k++) {
            float[] plus = current.clone();
            float[] minus = current.clone();
            plus[k] += 1e-3f;
            minus[k] -= 1e-3f;
            double numeric = (distribution.kl(old, 0, plus, 0) - distribution.kl(old, 0, minus, 0))
                    / ((double) plus[k] - minus[k]);
            // central differences with h = 1e-3 carry an O(h^2) error of ~1e-6 on the exp(log-std) terms
            assertThat(gradient[k]).as(distribution + " param " + k).isCloseTo(numeric, within(1e-5));
        }
    }

    private static double[] softmax(float[] logits) {
        double total = 0;
        double[] p = new double[logits.length];
        for (int j = 0; j < logits.length; j++) {
            p[j] = Math.exp(logits[j]);
            total += p[j];
        }
        for (int j = 0; j < logits.length; j++) {
            p[j] /= total;
        }
        return p;
    }
}

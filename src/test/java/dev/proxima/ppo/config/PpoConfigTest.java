package dev.proxima.ppo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.proxima.env.BoxSpace;
import dev.proxima.env.DiscreteSpace;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class PpoConfigTest {

    private static PpoConfig with(Consumer<PpoConfig.Builder> change) {
        PpoConfig.Builder builder = PpoConfig.builder();
        change.accept(builder);
        return builder.build();
    }

    private static InvalidConfigException rejected(Consumer<PpoConfig.Builder> change) {
        InvalidConfigException e = catchThrowableOfType(() -> with(change), InvalidConfigException.class);
        assertThat(e).as("an InvalidConfigException").isNotNull();
        return e;
    }

    @Test
    void defaultsAreStableBaselines3s() {
        PpoConfig config = PpoConfig.defaults();

        assertThat(config.optimizer().learningRate()).isEqualTo(3e-4);
        assertThat(config.optimizer().learningRateSchedule()).isEqualTo(Schedule.CONSTANT);
        assertThat(config.rollout().nSteps()).isEqualTo(2048);
        assertThat(config.update().batchSize()).isEqualTo(64);
        assertThat(config.update().nEpochs()).isEqualTo(10);
        assertThat(config.rollout().gamma()).isEqualTo(0.99);
        assertThat(config.rollout().gaeLambda()).isEqualTo(0.95);
        assertThat(config.loss().clipRange()).isEqualTo(0.2);
        assertThat(config.loss().clipRangeSchedule()).isEqualTo(Schedule.CONSTANT);
        assertThat(config.loss().entCoef()).isEqualTo(0.0);
        assertThat(config.loss().vfCoef()).isEqualTo(0.5);
        assertThat(config.optimizer().maxGradNorm()).isEqualTo(0.5);
        assertThat(config.update().normalizeAdvantage()).isTrue();
        assertThat(config.update().targetKl()).isNull();
        assertThat(config.model().network().hiddenSizes()).containsExactly(64, 64);
        assertThat(config.model().network().activation()).isEqualTo(Activation.TANH);
        assertThat(config.model().network()).isEqualTo(NetworkConfig.defaults());
    }

    @Test
    void givenValuesAreKept() {
        PpoConfig config = with(a -> {
            a.learningRate(1e-3);
            a.nSteps(32);
            a.gamma(0.98);
            a.network(new NetworkConfig(List.of(32), Activation.RELU));
        });

        assertThat(config.optimizer().learningRate()).isEqualTo(1e-3);
        assertThat(config.rollout().nSteps()).isEqualTo(32);
        assertThat(config.rollout().gamma()).isEqualTo(0.98);
        assertThat(config.model().network().hiddenSizes()).containsExactly(32);
        assertThat(config.model().network().activation()).isEqualTo(Activation.RELU);
        assertThat(config.update().batchSize()).isEqualTo(64);
    }

    @Test
    void negativeLearningRate() {
        assertThat(rejected(a -> a.learningRate(-1e-4)).field()).isEqualTo("learningRate");
        assertThat(rejected(a -> a.learningRate(0.0)).field()).isEqualTo("learningRate");
    }

    @Test
    void gammaMustBeInZeroExclusiveToOne() {
        assertThat(rejected(a -> a.gamma(0.0)).field()).isEqualTo("gamma");
        assertThat(rejected(a -> a.gamma(1.5)).field()).isEqualTo("gamma");
        assertThatCode(() -> with(a -> a.gamma(1.0))).doesNotThrowAnyException();
    }

    @Test
    void gaeLambdaMustBeInZeroToOne() {
        assertThat(rejected(a -> a.gaeLambda(-0.1)).field()).isEqualTo("gaeLambda");
        assertThat(rejected(a -> a.gaeLambda(1.01)).field()).isEqualTo("gaeLambda");
        assertThatCode(() -> with(a -> a.gaeLambda(0.0))).doesNotThrowAnyException();
        assertThatCode(() -> with(a -> a.gaeLambda(1.0))).doesNotThrowAnyException();
    }

    @Test
    void batchSizeZero() {
        InvalidConfigException e = rejected(a -> a.batchSize(0));
        assertThat(e.field()).isEqualTo("batchSize");
        assertThat(e.getMessage()).startsWith("batchSize: ");
    }

    @Test
    void batchSizeOneNeedsNoAdvantageNormalisation() {
        assertThat(rejected(a -> a.batchSize(1)).field()).isEqualTo("batchSize");
        assertThatCode(() -> with(a -> {
            a.batchSize(1);
            a.normalizeAdvantage(false);
        })).doesNotThrowAnyException();
    }

    @Test
    void unknownSchedule() {
        assertThat(rejected(a -> a.named("learningRateSchedule", "cosine")).field()).isEqualTo("learningRateSchedule");
        assertThat(rejected(a -> a.named("clipRangeSchedule", "exp")).field()).isEqualTo("clipRangeSchedule");
    }

    @Test
    void optionsByNameAreCheckedInTheirTurn() {
        assertThat(with(a -> a.named("objective", "klPenalty").named("logStd", null)).loss().objective())
                .isEqualTo(Objective.KL_PENALTY);
        assertThat(rejected(a -> a.learningRate(-1.0).named("learningRateSchedule", "cosine")).field())
                .isEqualTo("learningRate");
        assertThat(rejected(a -> a.named("logStd", "learned").logStdEnd(-1.0)).field()).isEqualTo("logStd");
    }

    @Test
    void unknownActivation() {
        InvalidConfigException e = catchThrowableOfType(() -> NetworkConfig.of(List.of(64, 64), "sigmoid"),
                InvalidConfigException.class);
        assertThat(e).isNotNull();
        assertThat(e.field()).isEqualTo("activation");
        assertThat(e.getMessage()).contains("sigmoid");
        // the nesting (hyperparameters.network.activation) is the web layer's: ApiErrorsTest
        assertThat(e.reason()).contains("sigmoid").doesNotStartWith("activation");
    }

    @Test
    void badHiddenSizes() {
        assertThat(catchThrowableOfType(() -> new NetworkConfig(List.of(64, 0), null), InvalidConfigException.class)
                .field()).isEqualTo("hiddenSizes[1]");
        assertThat(catchThrowableOfType(() -> new NetworkConfig(List.of(), null), InvalidConfigException.class)
                .field()).isEqualTo("hiddenSizes.length");
    }

    @Test
    void notANumberIsRejected() {
        assertThat(rejected(a -> a.learningRate(Double.NaN)).field()).isEqualTo("learningRate");
        assertThat(rejected(a -> a.gamma(Double.NaN)).field()).isEqualTo("gamma");
        assertThat(rejected(a -> a.clipRange(Double.NaN)).field()).isEqualTo("clipRange");
        assertThat(rejected(a -> a.entCoef(Double.NaN)).field()).isEqualTo("entCoef");
        assertThat(rejected(a -> a.vfCoef(Double.POSITIVE_INFINITY)).field()).isEqualTo("vfCoef");
        assertThat(rejected(a -> a.targetKl(Double.NaN)).field()).isEqualTo("targetKl");
    }

    @Test
    void otherRanges() {
        assertThat(rejected(a -> a.clipRange(0.0)).field()).isEqualTo("clipRange");
        assertThat(rejected(a -> a.entCoef(-0.01)).field()).isEqualTo("entCoef");
        assertThat(rejected(a -> a.vfCoef(-1.0)).field()).isEqualTo("vfCoef");
        assertThat(rejected(a -> a.maxGradNorm(0.0)).field()).isEqualTo("maxGradNorm");
        assertThat(rejected(a -> a.nSteps(0)).field()).isEqualTo("nSteps");
        assertThat(rejected(a -> a.nEpochs(0)).field()).isEqualTo("nEpochs");
        assertThat(rejected(a -> a.targetKl(-0.01)).field()).isEqualTo("targetKl");
    }

    @Test
    void validateForRejectsABatchLargerThanTheRollout() {
        PpoConfig config = with(a -> {
            a.nSteps(16);
            a.batchSize(64);
        });

        InvalidConfigException e = catchThrowableOfType(() -> config.validateFor(2), InvalidConfigException.class);
        assertThat(e).isNotNull();
        assertThat(e.field()).isEqualTo("batchSize");
        assertThat(e.getMessage()).contains("32");
        assertThatCode(() -> config.validateFor(4)).doesNotThrowAnyException();
        assertThatCode(() -> config.validateFor(8)).doesNotThrowAnyException();
    }

    @Test
    void validateForRejectsAnOversizedRollout() {
        PpoConfig config = with(a -> {
            a.nSteps(1 << 16);
            a.batchSize(4096);
            a.nEpochs(1);
        });

        assertThatCode(() -> config.validateFor(16)).doesNotThrowAnyException();
        InvalidConfigException e = catchThrowableOfType(() -> config.validateFor(17), InvalidConfigException.class);
        assertThat(e).isNotNull();
        assertThat(e.field()).isEqualTo("nSteps");
    }

    @Test
    void validateForBoundsTheGradientStepsOfOneIteration() {
        // 1000 epochs of 1024 minibatches would keep one iteration (and a cancel) waiting for hours
        PpoConfig config = with(a -> {
            a.nSteps(65_536);
            a.batchSize(64);
            a.nEpochs(1000);
        });
        InvalidConfigException e = catchThrowableOfType(() -> config.validateFor(1), InvalidConfigException.class);
        assertThat(e).isNotNull();
        assertThat(e.field()).isEqualTo("nEpochs");
        assertThatCode(() -> with(a -> a.nSteps(2048)).validateFor(8)).doesNotThrowAnyException();
    }

    @Test
    void policyStructureDefaultsAreStableBaselines3s() {
        PpoConfig config = PpoConfig.defaults();
        assertThat(config.model().logStd()).isEqualTo(LogStd.STATE_INDEPENDENT);
        assertThat(config.model().useSde()).isFalse();
        assertThat(config.model().sdeSampleFreq()).isEqualTo(-1);
        assertThat(config.model().orthoInit()).isTrue();
        assertThat(config.model().sharedNetwork()).isFalse();
    }

    @Test
    void logStdOptionsAreCheckedTogether() {
        assertThat(rejected(a -> a.named("logStd", "learned")).field()).isEqualTo("logStd");
        assertThat(rejected(a -> a.logStdEnd(-1.0)).field()).isEqualTo("logStdEnd");
        assertThat(rejected(a -> a.logStd(LogStd.FIXED).logStdEnd(5.0)).field()).isEqualTo("logStdEnd");
        assertThat(rejected(a -> a.useSde(true).logStd(LogStd.STATE_DEPENDENT)).field()).isEqualTo("useSde");
        assertThat(rejected(a -> a.sdeSampleFreq(0)).field()).isEqualTo("sdeSampleFreq");
        assertThat(rejected(a -> a.sdeSampleFreq(-2)).field()).isEqualTo("sdeSampleFreq");
        assertThatCode(() -> with(a -> a.logStd(LogStd.FIXED).logStdEnd(-2.0))).doesNotThrowAnyException();
        assertThatCode(() -> with(a -> a.useSde(true).sdeSampleFreq(4))).doesNotThrowAnyException();
    }

    @Test
    void aSharedNetworkLayersItsOptimizerOverTheActorAndCriticSettings() {
        PpoConfig.Layers plain = with(a -> a.sharedNetwork(true).learningRate(1e-3)).optimizer().layers();
        assertThat(plain).isEqualTo(new PpoConfig.Layers(1e-3, 1e-3, 1e-3, 1e-5, 1e-5, 1e-5));
        assertThat(plain.differ()).isFalse();

        // the heads default to the actor's and the critic's settings, the trunk to learningRate
        PpoConfig.Layers heads = with(a -> a.sharedNetwork(true).criticLearningRate(1e-3).actorAdamEpsilon(1e-8))
                .optimizer().layers();
        assertThat(heads).isEqualTo(new PpoConfig.Layers(3e-4, 3e-4, 1e-3, 1e-5, 1e-8, 1e-5));
        assertThat(heads.differ()).isTrue();

        PpoConfig.Layers named = with(a -> a.sharedNetwork(true).trunkLearningRate(6.5e-4).policyHeadLearningRate(3e-4)
                .valueHeadLearningRate(1e-3).trunkAdamEpsilon(1e-5).policyHeadAdamEpsilon(1e-8)
                .valueHeadAdamEpsilon(1e-6)).optimizer().layers();
        assertThat(named).isEqualTo(new PpoConfig.Layers(6.5e-4, 3e-4, 1e-3, 1e-5, 1e-8, 1e-6));
    }

    @Test
    void layeredOptimizerSettingsNeedASharedNetwork() {
        assertThat(PpoConfig.defaults().optimizer().layers()).isNull();
        assertThat(rejected(a -> a.trunkLearningRate(1e-3)).field()).isEqualTo("trunkLearningRate");
        assertThat(rejected(a -> a.valueHeadAdamEpsilon(1e-6)).field()).isEqualTo("valueHeadAdamEpsilon");
        assertThat(rejected(a -> a.sharedNetwork(true).policyHeadLearningRate(0.0)).field())
                .isEqualTo("policyHeadLearningRate");
        assertThat(rejected(a -> a.sharedNetwork(true).trunkAdamEpsilon(Double.NaN)).field())
                .isEqualTo("trunkAdamEpsilon");
    }

    @Test
    void advantageNormalizationModes() {
        assertThat(PpoConfig.defaults().update().advantageNormalization()).isEqualTo(AdvantageNormalization.MINIBATCH);
        assertThat(with(a -> a.normalizeAdvantage(false)).update().advantageNormalization())
                .isEqualTo(AdvantageNormalization.OFF);
        assertThat(with(a -> a.named("advantageNormalization", "rollout")).update().advantageNormalization())
                .isEqualTo(AdvantageNormalization.ROLLOUT);
        assertThat(with(a -> a.named("advantageNormalization", "rollout").normalizeAdvantage(true)).update()
                .normalizeAdvantage()).isTrue();
        assertThat(rejected(a -> a.named("advantageNormalization", "batch")).field())
                .isEqualTo("advantageNormalization");
        assertThat(rejected(a -> a.named("advantageNormalization", "off").normalizeAdvantage(true)).field())
                .isEqualTo("normalizeAdvantage");
        assertThat(rejected(a -> a.named("advantageNormalization", "minibatch").normalizeAdvantage(false)).field())
                .isEqualTo("normalizeAdvantage");
        // one-sample minibatches are fine when the statistics come from the rollout
        assertThatCode(() -> with(a -> a.batchSize(1).named("advantageNormalization", "rollout")))
                .doesNotThrowAnyException();
    }

    @Test
    void ratesAndCoefficientsHaveSaneUpperBounds() {
        // learningRate 1e308 used to be accepted: the job "succeeded" without learning
        assertThat(rejected(a -> a.learningRate(1e308)).field()).isEqualTo("learningRate");
        assertThat(rejected(a -> a.learningRate(1.5)).field()).isEqualTo("learningRate");
        assertThat(rejected(a -> a.criticLearningRate(2.0)).field()).isEqualTo("criticLearningRate");
        assertThat(rejected(a -> a.sharedNetwork(true).trunkLearningRate(10.0)).field()).isEqualTo("trunkLearningRate");
        assertThat(rejected(a -> a.entCoef(1e9)).field()).isEqualTo("entCoef");
        assertThat(rejected(a -> a.vfCoef(101.0)).field()).isEqualTo("vfCoef");
        assertThat(rejected(a -> a.actorAdamEpsilon(2.0)).field()).isEqualTo("actorAdamEpsilon");
        assertThat(rejected(a -> a.klCoefInit(1e7)).field()).isEqualTo("klCoefInit");
        assertThat(rejected(a -> a.maxGradNorm(1e300)).field()).isEqualTo("maxGradNorm");
        assertThat(rejected(a -> a.targetKl(100.0)).field()).isEqualTo("targetKl");
        assertThatCode(() -> with(a -> a.learningRate(1.0).entCoef(100.0).vfCoef(100.0))).doesNotThrowAnyException();
    }

    @Test
    void valueNormalizationIsOffByDefault() {
        assertThat(PpoConfig.defaults().normalization().value()).isFalse();
        assertThat(with(a -> a.normalizeValue(true)).normalization().value()).isTrue();
    }

    @Test
    void gaussianOnlyOptionsAreRejectedForDiscreteActions() {
        DiscreteSpace discrete = new DiscreteSpace(2);
        BoxSpace box = BoxSpace.of(new double[] {-1}, new double[] {1});
        PpoConfig sde = with(a -> a.useSde(true));
        PpoConfig fixed = with(a -> a.logStd(LogStd.FIXED));
        assertThat(catchThrowableOfType(() -> sde.validateFor(1, discrete), InvalidConfigException.class).field())
                .isEqualTo("useSde");
        assertThat(catchThrowableOfType(() -> fixed.validateFor(1, discrete), InvalidConfigException.class).field())
                .isEqualTo("logStd");
        assertThatCode(() -> sde.validateFor(1, box)).doesNotThrowAnyException();
        assertThatCode(() -> fixed.validateFor(1, box)).doesNotThrowAnyException();
    }
}

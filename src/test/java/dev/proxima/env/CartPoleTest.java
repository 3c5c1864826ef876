package dev.proxima.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** CartPole against episodes recorded from Gymnasium by scripts/gen_cartpole_fixture.py. */
class CartPoleTest {

    record Step(int action, double[] observation, double reward, boolean terminated, boolean truncated) {
    }

    record Episode(long seed, double epsilon, double[] initialState, double[] initialObservation,
            List<Step> steps) {
    }

    record Fixture(String gymnasiumVersion, String envId, int maxEpisodeSteps, double rewardThreshold,
            double[] observationLow, double[] observationHigh, int actionN, List<Episode> episodes) {
    }

    private static Fixture fixture;

    @BeforeAll
    static void loadFixture() throws IOException {
        ObjectMapper mapper = JsonMapper.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // Python writes inf as Infinity
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        try (InputStream in = CartPoleTest.class.getResourceAsStream("/fixtures/cartpole-v1.json")) {
            assertThat(in).as("fixture on the test classpath").isNotNull();
            fixture = mapper.readValue(in, Fixture.class);
        }
    }

    @TestFactory
    Stream<DynamicTest> replaysGymnasiumEpisodesExactly() {
        assertThat(fixture.episodes()).hasSizeGreaterThanOrEqualTo(10);
        assertThat(fixture.episodes()).filteredOn(e -> last(e).truncated()).hasSizeGreaterThanOrEqualTo(2);
        return fixture.episodes().stream().map(episode -> DynamicTest.dynamicTest(
                "seed " + episode.seed() + ", " + episode.steps().size() + " steps",
                () -> replay(episode)));
    }

    private static void replay(Episode episode) {
        Environment env = new EnvironmentRegistry().create("CartPole-v1");

        double[] observation = env.resetToState(episode.initialState());

        assertThat(observation).containsExactly(episode.initialObservation());
        for (int t = 0; t < episode.steps().size(); t++) {
            Step expected = episode.steps().get(t);
            StepResult actual = env.step(new double[] {expected.action()});
            String where = "seed " + episode.seed() + ", step " + (t + 1);
            // Exact equality: the state is computed with the same double operations as
            // cartpole.py and rounded to float32 the same way. The one possible source of a
            // difference is sin/cos: numpy uses glibc's, which differs from Math.sin/cos by one
            // ulp on ~0.1% of arguments. That is almost always rounded away in the state update,
            // but the dynamics are chaotic, so in rare long episodes (~1 in 300 when we measured)
            // it grows into a visible divergence, which no tolerance would absorb. The recorded
            // episodes are verified to replay bit-exactly; if a regenerated fixture diverges
            // late in one episode, that is the likely cause.
            assertThat(actual.observation()).as(where).containsExactly(expected.observation());
            assertThat(actual.reward()).as(where).isEqualTo(expected.reward());
            assertThat(actual.terminated()).as(where).isEqualTo(expected.terminated());
            assertThat(actual.truncated()).as(where).isEqualTo(expected.truncated());
        }
    }

    private static Step last(Episode episode) {
        return episode.steps().get(episode.steps().size() - 1);
    }

    @Test
    void specMatchesGymnasium() {
        EnvironmentSpec spec = new CartPole().spec();

        assertThat(spec.id()).isEqualTo(fixture.envId()).isEqualTo("CartPole-v1");
        assertThat(spec.maxEpisodeSteps()).isEqualTo(fixture.maxEpisodeSteps()).isEqualTo(500);
        assertThat(spec.rewardThreshold()).isEqualTo(fixture.rewardThreshold()).isEqualTo(475.0);
        assertThat(spec.actionSpace()).isEqualTo(new DiscreteSpace(fixture.actionN()));
        assertThat(spec.observationSpace())
                .isEqualTo(BoxSpace.of(fixture.observationLow(), fixture.observationHigh()));
        BoxSpace box = (BoxSpace) spec.observationSpace();
        assertThat(box.high()).containsExactly(
                (float) 4.8, Double.POSITIVE_INFINITY, (float) 0.41887902047863906, Double.POSITIVE_INFINITY);
        assertThat(box.flatSize()).isEqualTo(4);
    }

    @Test
    void resetDrawsEachComponentFromMinusToPlusFiveHundredths() {
        CartPole env = new CartPole();
        for (long seed = 0; seed < 1000; seed++) {
            env.reset(seed);
            assertInResetRange(env.state());
        }
    }

    @Test
    void resetObservationIsTheStateRoundedToFloat() {
        CartPole env = new CartPole();
        double[] observation = env.reset(7);
        double[] state = env.state();
        for (int i = 0; i < 4; i++) {
            assertThat(observation[i]).isEqualTo((double) (float) state[i]);
        }
    }

    @Test
    void seededResetsAreReproducibleAndSeedsDiffer() {
        CartPole first = new CartPole();
        CartPole second = new CartPole();

        assertThat(first.reset(42)).containsExactly(second.reset(42));
        assertThat(first.state()).containsExactly(second.state());
        assertThat(first.reset()).as("unseeded reset continues the generator").containsExactly(second.reset());

        Set<List<Double>> states = new HashSet<>();
        for (long seed = 0; seed < 100; seed++) {
            first.reset(seed);
            states.add(boxed(first.state()));
        }
        assertThat(states).hasSize(100);
    }

    @Test
    void unseededResetContinuesTheGenerator() {
        CartPole env = new CartPole();
        double[] firstEpisode = env.reset(3);
        double[] secondEpisode = env.reset();

        assertThat(secondEpisode).isNotEqualTo(firstEpisode);
    }

    @Test
    void resetWithoutAnySeedDrawsFromARandomSeed() {
        CartPole env = new CartPole();
        double[] observation = env.reset();

        assertThat(observation).hasSize(4);
        assertInResetRange(env.state());
    }

    @Test
    void stepsAfterTerminationAreRewardedZero() {
        CartPole env = new CartPole();
        env.resetToState(new double[] {2.39, 1.0, 0.0, 0.0});

        StepResult terminating = env.step(new double[] {1});
        StepResult after = env.step(new double[] {1});

        assertThat(terminating.terminated()).isTrue();
        assertThat(terminating.reward()).isEqualTo(1.0);
        assertThat(after.terminated()).isTrue();
        assertThat(after.reward()).isEqualTo(0.0);
        assertThat(env.resetToState(new double[] {0, 0, 0, 0})).containsExactly(0, 0, 0, 0);
        assertThat(env.step(new double[] {0}).reward()).isEqualTo(1.0);
    }

    @Test
    void cartPoleNeverTruncatesItself() {
        CartPole env = new CartPole();
        env.resetToState(new double[] {0, 0, 0, 0});
        for (int t = 0; t < 600; t++) {
            assertThat(env.step(new double[] {t % 2}).truncated()).isFalse();
        }
    }

    static Stream<double[]> invalidActions() {
        return Stream.of(new double[] {0.5}, new double[] {2}, new double[] {-1},
                new double[] {Double.NaN}, new double[0], new double[] {0, 1}, null);
    }

    @ParameterizedTest
    @MethodSource("invalidActions")
    void invalidActionThrows(double[] action) {
        CartPole env = new CartPole();
        env.reset(1);

        assertThatThrownBy(() -> env.step(action))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CartPole action");
    }

    @Test
    void stepBeforeResetThrows() {
        assertThatThrownBy(() -> new CartPole().step(new double[] {0}))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void resetToStateValidatesAndCopies() {
        CartPole env = new CartPole();
        assertThatThrownBy(() -> env.resetToState(new double[3])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> env.resetToState(new double[] {0, Double.NaN, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> env.resetToState(new double[] {0, 0, Double.POSITIVE_INFINITY, 0}))
                .isInstanceOf(IllegalArgumentException.class);

        double[] state = {0.1, 0.2, 0.03, 0.4};
        assertThat(env.resetToState(state)).containsExactly((float) 0.1, (float) 0.2, (float) 0.03, (float) 0.4);
        state[0] = 9;
        env.state()[1] = 9;
        assertThat(env.state()).containsExactly(0.1, 0.2, 0.03, 0.4);
    }

    @Test
    void registryCreatesCartPoleWrappedInTimeLimit() {
        EnvironmentRegistry registry = new EnvironmentRegistry();

        assertThat(registry.specs()).first().isEqualTo(new CartPole().spec());
        assertThat(registry.find("CartPole-v1")).contains(new CartPole().spec());
        assertThat(registry.find("Nope-v0")).isEmpty();
        assertThat(registry.create("CartPole-v1")).isInstanceOf(TimeLimit.class);
        assertThatThrownBy(() -> registry.create("Nope-v0"))
                .isInstanceOf(UnknownEnvironmentException.class)
                .hasMessageContaining("Nope-v0")
                .extracting(e -> ((UnknownEnvironmentException) e).id()).isEqualTo("Nope-v0");
    }

    private static void assertInResetRange(double[] state) {
        assertThat(boxed(state)).allSatisfy(v -> assertThat(v).isGreaterThanOrEqualTo(-0.05).isLessThan(0.05));
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}

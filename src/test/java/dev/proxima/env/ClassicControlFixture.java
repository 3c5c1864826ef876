package dev.proxima.env;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * Episodes recorded from Gymnasium by scripts/gen_classic_control_fixtures.py, as read from
 * src/test/resources/fixtures/&lt;id lowercased&gt;.json. Discrete actions are read as doubles;
 * {@code actionN} is set for Discrete action spaces, {@code actionLow/High} for Box ones.
 */
record ClassicControlFixture(
        String gymnasiumVersion,
        String envId,
        int maxEpisodeSteps,
        Double rewardThreshold,
        int[] observationShape,
        double[] observationLow,
        double[] observationHigh,
        Integer actionN,
        int[] actionShape,
        double[] actionLow,
        double[] actionHigh,
        List<Episode> episodes) {

    record Step(double action, double[] observation, double reward, boolean terminated, boolean truncated,
            double[] state) {
    }

    record Episode(long seed, String policy, double[] initialState, double[] initialObservation, List<Step> steps) {

        Step last() {
            return steps.get(steps.size() - 1);
        }

        boolean terminates() {
            return steps.stream().anyMatch(Step::terminated);
        }

        @Override
        public String toString() {
            return "seed " + seed + " (" + policy + ", " + steps.size() + " steps)";
        }
    }

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // Python writes inf as Infinity
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    static ClassicControlFixture load(String envId) {
        String resource = "/fixtures/" + envId.toLowerCase(Locale.ROOT) + ".json";
        try (InputStream in = ClassicControlFixture.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource + " on the test classpath").isNotNull();
            ClassicControlFixture fixture = MAPPER.readValue(in, ClassicControlFixture.class);
            assertThat(fixture.envId()).isEqualTo(envId);
            return fixture;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Gymnasium spaces and spec values recorded with the episodes. */
    EnvironmentSpec spec() {
        Space actionSpace = actionN != null
                ? new DiscreteSpace(actionN)
                : new BoxSpace(actionShape, actionLow, actionHigh);
        return new EnvironmentSpec(envId, new BoxSpace(observationShape, observationLow, observationHigh),
                actionSpace, maxEpisodeSteps, rewardThreshold);
    }

    int stepCount() {
        return episodes.stream().mapToInt(e -> e.steps().size()).sum();
    }
}

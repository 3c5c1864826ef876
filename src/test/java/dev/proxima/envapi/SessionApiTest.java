package dev.proxima.envapi;

import dev.proxima.access.SliceSecurity;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.env.Environment;
import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.env.StepResult;
import dev.proxima.support.MvcApi;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;

/** Environment sessions over HTTP: the session and environment controllers with the real sessions and registry. */
@WebMvcTest(controllers = {SessionController.class, EnvironmentController.class},
        properties = "proxima.sessions.max=3")
@Import({EnvironmentSessions.class, SliceSecurity.class})
class SessionApiTest {

    @Autowired
    MockMvc mvc;

    @Test
    void seededSessionStepsExactlyAsTheEnvironmentAndTruncatesAtTheTimeLimit() {
        MvcApi api = new MvcApi(mvc);
        MvcApi.Response opened = api.post("/api/environments/CartPole-v1/sessions", "{\"seed\":7}");
        assertThat(opened.status()).isEqualTo(201);
        String id = opened.body().get("sessionId").asText();
        assertThat(opened.header("Location")).isEqualTo("/api/sessions/" + id);

        Environment local = new EnvironmentRegistry().create("CartPole-v1");
        assertThat(doubles(opened.body().get("observation"))).containsExactly(local.reset(7));
        // a balancing controller keeps the pole up until the 500-step limit
        double[] observation = local.state();
        int steps = 0;
        JsonNode step;
        do {
            int action = observation[2] + 0.5 * observation[3] > 0 ? 1 : 0;
            step = api.post("/api/sessions/" + id + "/step", Map.of("action", action)).body();
            StepResult expected = local.step(new double[] {action});
            assertThat(doubles(step.get("observation"))).containsExactly(expected.observation());
            assertThat(step.get("reward").asDouble()).isEqualTo(expected.reward());
            observation = expected.observation();
            steps++;
        } while (!step.get("terminated").asBoolean() && !step.get("truncated").asBoolean());
        assertThat(steps).isEqualTo(500);
        assertThat(step.get("truncated").asBoolean()).isTrue();
        assertThat(step.get("terminated").asBoolean()).isFalse();

        assertThat(api.delete("/api/sessions/" + id).status()).isEqualTo(204);
        assertThat(api.post("/api/sessions/" + id + "/step", "{\"action\":0}").status()).isEqualTo(404);
    }

    @Test
    void resetFromAnExplicitStateAndContinuousActions() {
        MvcApi api = new MvcApi(mvc);
        String id = api.post("/api/environments/Pendulum-v1/sessions", "").body().get("sessionId").asText();
        JsonNode reset = api.post("/api/sessions/" + id + "/reset", "{\"state\":[0.0, 0.0]}").body();
        assertThat(doubles(reset.get("observation"))).containsExactly(1.0, 0.0, 0.0);
        JsonNode step = api.post("/api/sessions/" + id + "/step", "{\"action\":[5.0]}").body();
        Environment local = new EnvironmentRegistry().create("Pendulum-v1");
        local.resetToState(new double[] {0.0, 0.0});
        StepResult expected = local.step(new double[] {5.0});
        assertThat(doubles(step.get("observation"))).containsExactly(expected.observation());
        assertThat(step.get("reward").asDouble()).isEqualTo(expected.reward());

        MvcApi.Response badState = api.post("/api/sessions/" + id + "/reset", "{\"state\":[0.0]}");
        assertThat(badState.status()).isEqualTo(422);
        assertThat(badState.body().get("field").asText()).isEqualTo("state");
        MvcApi.Response badAction = api.post("/api/sessions/" + id + "/step", "{\"action\":\"left\"}");
        assertThat(badAction.status()).isEqualTo(422);
        assertThat(badAction.body().get("field").asText()).isEqualTo("action");
        api.delete("/api/sessions/" + id);
    }

    @Test
    void openSessionsAreListedMostRecentlyUsedFirst() {
        MvcApi api = new MvcApi(mvc);
        String cartPole = api.post("/api/environments/CartPole-v1/sessions", "").body().get("sessionId").asText();
        String moving = api.post("/api/environments/Moving-v0/sessions", "").body().get("sessionId").asText();
        try {
            api.post("/api/sessions/" + moving + "/reset", "");
            api.post("/api/sessions/" + cartPole + "/step", "{\"action\":0}");

            JsonNode listed = api.get("/api/sessions").body();
            assertThat(listed.get("max").asInt()).isEqualTo(3);
            List<String> ids = listed.get("sessions").findValuesAsText("sessionId");
            assertThat(ids).containsExactly(cartPole, moving);
            JsonNode first = listed.get("sessions").get(0);
            assertThat(first.get("environmentId").asText()).isEqualTo("CartPole-v1");
            assertThat(Instant.parse(first.get("expiresAt").asText()))
                    .isAfter(Instant.parse(first.get("lastUsedAt").asText()));
        } finally {
            api.delete("/api/sessions/" + cartPole);
            api.delete("/api/sessions/" + moving);
        }
        assertThat(api.get("/api/sessions").body().get("sessions").findValuesAsText("sessionId"))
                .doesNotContain(cartPole, moving);
    }

    @Test
    void aStateThatOverflowsIsAProblemNotInfinityInTheJson() {
        MvcApi api = new MvcApi(mvc);
        // CartPole's observation is the state in float32: x = 1e308 does not fit
        String cartPole = api.post("/api/environments/CartPole-v1/sessions", "").body().get("sessionId").asText();
        assertInvalid(api.post("/api/sessions/" + cartPole + "/reset", "{\"state\":[1e308,0,0,0]}"), "state");
        assertInvalid(api.post("/api/sessions/" + cartPole + "/step", "{\"action\":1}"), "state");

        // Pendulum's speed in float32: refused at the reset too, where it was a reward of -Infinity
        String pendulum = api.post("/api/environments/Pendulum-v1/sessions", "").body().get("sessionId").asText();
        assertInvalid(api.post("/api/sessions/" + pendulum + "/reset", "{\"state\":[0,1e308]}"), "state");

        // Moving-v0 at a speed of 1e308: a finite first observation, but the step's distance overflows
        String moving = api.post("/api/environments/Moving-v0/sessions", "").body().get("sessionId").asText();
        String far = "{\"state\":[0,0,1e308,0,0.5,0.5,0]}";
        assertThat(api.post("/api/sessions/" + moving + "/reset", far).status()).isEqualTo(200);
        String accelerate = "{\"action\":{\"type\":0,\"parameters\":[1,0]}}";
        MvcApi.Response overflow = api.post("/api/sessions/" + moving + "/step", accelerate);
        assertInvalid(overflow, "state");
        assertThat(overflow.body().get("detail").asText()).contains("reset the session");
        // every step until a reset says so; a reset recovers the session
        assertInvalid(api.post("/api/sessions/" + moving + "/step", accelerate), "state");
        assertThat(api.post("/api/sessions/" + moving + "/reset", "{\"state\":[0,0,0,0,0.5,0.5,0]}").status())
                .isEqualTo(200);
        assertThat(api.post("/api/sessions/" + moving + "/step", accelerate).status()).isEqualTo(200);
        api.delete("/api/sessions/" + moving);
        api.delete("/api/sessions/" + cartPole);
        api.delete("/api/sessions/" + pendulum);
    }

    @Test
    void invalidDiscreteActionsUnknownEnvironmentsAndTheSessionLimit() {
        MvcApi api = new MvcApi(mvc);
        assertThat(api.post("/api/environments/Nope-v0/sessions", "{}").status()).isEqualTo(404);
        List<String> open = new ArrayList<>();
        String id = api.post("/api/environments/CartPole-v1/sessions", "{}").body().get("sessionId").asText();
        open.add(id);
        MvcApi.Response outOfRange = api.post("/api/sessions/" + id + "/step", "{\"action\":2}");
        assertThat(outOfRange.status()).isEqualTo(422);
        assertThat(outOfRange.body().get("field").asText()).isEqualTo("action");
        assertThat(api.post("/api/sessions/" + id + "/step", "{\"action\":0.5}").status()).isEqualTo(422);

        MvcApi.Response response;
        do {
            response = api.post("/api/environments/CartPole-v1/sessions", "{}");
            if (response.status() == 201) {
                open.add(response.body().get("sessionId").asText());
            }
        } while (response.status() == 201 && open.size() <= 3);
        assertThat(response.status()).isEqualTo(429);
        assertThat(response.header("Retry-After")).isNotNull();
        open.forEach(session -> api.delete("/api/sessions/" + session));
    }

    @Test
    void multiDiscreteActionsAreOneIntegerPerDimension() {
        MvcApi api = new MvcApi(mvc);
        JsonNode actionSpace = api.get("/api/environments/DiagonalMaze-v0").body().get("actionSpace");
        assertThat(actionSpace.get("type").asText()).isEqualTo("multiDiscrete");
        assertThat(actionSpace.get("nvec").toString()).isEqualTo("[3,3]");
        assertThat(actionSpace.has("n")).isFalse();

        String id = api.post("/api/environments/DiagonalMaze-v0/sessions", "{\"seed\":1}").body().get("sessionId")
                .asText();
        String step = "/api/sessions/" + id + "/step";
        JsonNode moved = api.post(step, "{\"action\":[1,2]}").body();
        assertThat(moved.get("observation").get(1).asDouble()).isEqualTo(1.0);
        assertThat(moved.get("reward").asDouble()).isEqualTo(-1.0);

        assertInvalid(api.post(step, "{\"action\":1}"), "action");
        assertInvalid(api.post(step, "{\"action\":[1]}"), "action");
        assertInvalid(api.post(step, "{\"action\":[1,3]}"), "action[1]");
        assertInvalid(api.post(step, "{\"action\":[0.5,1]}"), "action[0]");
        assertInvalid(api.post(step, "{\"action\":[-1,1]}"), "action[0]");
        assertInvalid(api.post(step, "{\"action\":[1,\"right\"]}"), "action[1]");
        api.delete("/api/sessions/" + id);
    }

    private static void assertInvalid(MvcApi.Response response, String field) {
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.body().get("field").asText()).isEqualTo(field);
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }
}

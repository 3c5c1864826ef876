package dev.proxima.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.support.Api;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Hybrid (parameterized) actions through the API: Moving-v0's space as GET /api/environments
 * shows it, a job's /act answers {type, parameters} and honours type masks, sessions step with
 * the same, and an external environment declares a hybrid space and gets hybrid actions.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HybridActionApiTest {

    private static final String OBSERVATION = "[0.1, -0.2, 0.0, 1.0, 0.0, 0.5, 0.5, 0.6, 0, 0.0]";

    @LocalServerPort
    int port;

    private static void assertProblem(Api.Response response, int status, String field) {
        assertThat(response.status()).as(String.valueOf(response.body())).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.body().get("field").asText()).isEqualTo(field);
    }

    private static void assertHybridAction(JsonNode action) {
        assertThat(action.isObject()).as("an object: %s", action).isTrue();
        assertThat(action.get("type").isInt()).isTrue();
        assertThat(action.get("type").asInt()).isBetween(0, 2);
        JsonNode parameters = action.get("parameters");
        assertThat(parameters).hasSize(2);
        assertThat(parameters.get(0).asDouble()).isBetween(0.0, 1.0);
        assertThat(parameters.get(1).asDouble()).isBetween(-1.0, 1.0);
    }

    @Test
    void theEnvironmentListShowsTheHybridSpace() {
        Api api = new Api(port);
        JsonNode moving = null;
        for (JsonNode environment : api.get("/api/environments").body()) {
            if (environment.get("id").asText().equals("Moving-v0")) {
                moving = environment;
            }
        }
        assertThat(moving).isNotNull();
        JsonNode space = moving.get("actionSpace");
        assertThat(space.get("type").asText()).isEqualTo("hybrid");
        assertThat(space.get("n").asInt()).isEqualTo(3);
        assertThat(space.get("parameters").get("low").toString()).isEqualTo("[0.0,-1.0]");
        assertThat(space.get("parameters").get("high").toString()).isEqualTo("[1.0,1.0]");
        assertThat(space.get("parameterMask").toString()).isEqualTo("[[true,false],[false,true],[false,false]]");
        assertThat(moving.get("observationSpace").get("shape").toString()).isEqualTo("[10]");
    }

    @Test
    void actAnswersTypeAndParametersAndHonoursTypeMasks() throws Exception {
        Api api = new Api(port);
        String id = api.post("/api/jobs", """
                {"environment":{"id":"Moving-v0","numEnvs":2},"totalTimesteps":512,"seed":1,
                 "hyperparameters":{"nSteps":128,"batchSize":64,"nEpochs":1,"normalizeValue":true}}""")
                .body().get("id").asText();
        JsonNode job = api.awaitJob(id, Api::finished, Duration.ofSeconds(60));
        assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
        String act = "/api/policies/" + id + "/act";

        Api.Response single = api.post(act, "{\"observation\":" + OBSERVATION + "}");
        assertThat(single.status()).isEqualTo(200);
        assertHybridAction(single.body().get("action"));
        JsonNode batch = api.post(act, "{\"observations\":[" + OBSERVATION + "," + OBSERVATION
                + "],\"deterministic\":true}").body().get("actions");
        assertThat(batch).hasSize(2);
        batch.forEach(HybridActionApiTest::assertHybridAction);
        for (int i = 0; i < 20; i++) {
            JsonNode braking = api.post(act, "{\"observation\":" + OBSERVATION
                    + ",\"actionMask\":[false,false,true]}").body().get("action");
            assertThat(braking.get("type").asInt()).isEqualTo(2);
        }
        JsonNode details = api.post(act, "{\"observation\":" + OBSERVATION
                + ",\"actionMask\":[true,false,true],\"includeDetails\":true}").body().get("details");
        assertThat(details.get("probabilities")).hasSize(3);
        assertThat(details.get("probabilities").get(1).asDouble()).isZero();
        assertThat(details.get("probabilities").get(0).asDouble() + details.get("probabilities").get(2).asDouble())
                .isCloseTo(1.0, within(1e-9));
        assertThat(details.get("mean")).hasSize(2);
        assertThat(details.get("std")).hasSize(2);
        assertProblem(api.post(act, "{\"observation\":" + OBSERVATION + ",\"actionMask\":[false,false,false]}"), 422,
                "actionMask");

        JsonNode last = api.get("/api/jobs/" + id + "/metrics").body().get("points").get(1).get("metrics");
        for (String key : new String[] {"train/entropy/type", "train/entropy/parameters", "train/approx_kl/type",
                "train/approx_kl/parameters", "train/std/0", "train/std/1", "train/value_norm_mean",
                "train/value_norm_std"}) {
            assertThat(last.has(key)).as(key + " in " + last).isTrue();
        }
        assertThat(last.get("train/std/0").asDouble()).isCloseTo(1.0, within(0.05));
    }

    @Test
    void aSessionStepsWithAHybridActionAndNamesWhatIsWrong() {
        Api api = new Api(port);
        String session = api.post("/api/environments/Moving-v0/sessions", "{\"seed\": 3}").body().get("sessionId")
                .asText();
        String step = "/api/sessions/" + session + "/step";

        Api.Response accelerated = api.post(step, "{\"action\":{\"type\":0,\"parameters\":[1.0,0.0]}}");
        assertThat(accelerated.status()).isEqualTo(200);
        // one acceleration of 0.5: the speed (observation 2) is 0.5
        assertThat(accelerated.body().get("observation").get(2).asDouble()).isCloseTo(0.5, within(1e-12));
        assertThat(api.post(step, "{\"action\":{\"type\":1,\"parameters\":[7.0,-3.0]}}").status()).isEqualTo(200);

        assertProblem(api.post(step, "{\"action\":1}"), 422, "action");
        assertProblem(api.post(step, "{\"action\":{\"type\":3,\"parameters\":[0,0]}}"), 422, "action.type");
        assertProblem(api.post(step, "{\"action\":{\"type\":0.5,\"parameters\":[0,0]}}"), 422, "action.type");
        assertProblem(api.post(step, "{\"action\":{\"type\":0,\"parameters\":[0]}}"), 422, "action.parameters");
        assertProblem(api.post(step, "{\"action\":{\"type\":0,\"parameters\":[0,\"x\"]}}"), 422,
                "action.parameters[1]");
        api.delete("/api/sessions/" + session);
    }

    @Test
    void anExternalEnvironmentDeclaresAHybridSpaceAndItsRunnerGetsHybridActions() {
        Api api = new Api(port);
        String space = "{\"type\":\"hybrid\",\"n\":2,\"parameters\":{\"low\":[-1,0],\"high\":[1,2]},"
                + "\"parameterMask\":[[true,false],[true,true]]}";
        Api.Response created = api.post("/api/jobs", "{\"environment\":{\"external\":{\"observationSpace\":"
                + "{\"type\":\"box\",\"shape\":[2],\"low\":[null,null],\"high\":[null,null]},\"actionSpace\":" + space
                + ",\"actionMasks\":true},\"numEnvs\":1},\"totalTimesteps\":64,\"seed\":2,"
                + "\"hyperparameters\":{\"nSteps\":16,\"batchSize\":16}}");
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        String id = created.body().get("id").asText();
        Map<String, String> auth = Map.of("Authorization", "Bearer " + created.body().get("runnerToken").asText());
        String runners = "/api/jobs/" + id + "/runners";
        String runner = api.post(runners, "{\"numEnvs\":1}", auth).body().get("runnerId").asText();

        Api.Response first = api.post(runners + "/" + runner + "/steps",
                "{\"sequence\":0,\"observations\":[[0.1,0.2]],\"actionMasks\":[[false,true]]}", auth);
        assertThat(first.status()).as(String.valueOf(first.body())).isEqualTo(200);
        JsonNode action = first.body().get("actions").get(0);
        assertThat(action.get("type").asInt()).isEqualTo(1);
        assertThat(action.get("parameters")).hasSize(2);
        assertThat(action.get("parameters").get(0).asDouble()).isBetween(-1.0, 1.0);
        assertThat(action.get("parameters").get(1).asDouble()).isBetween(0.0, 2.0);
        api.post("/api/jobs/" + id + "/cancel", "{}");
    }

    @Test
    void badHybridSpacesAreProblemsNamingTheField() {
        Api api = new Api(port);
        String prefix = "{\"environment\":{\"external\":{\"observationSpace\":{\"type\":\"box\",\"shape\":[1],"
                + "\"low\":[null],\"high\":[null]},\"actionSpace\":";
        String field = "environment.external.actionSpace.";
        assertProblem(api.post("/api/jobs", prefix + "{\"type\":\"hybrid\",\"n\":2}}}}"), 422, field + "parameters");
        assertProblem(api.post("/api/jobs", prefix + "{\"type\":\"hybrid\",\"n\":0,\"parameters\":{\"low\":[0],"
                + "\"high\":[1]}}}}}"), 422, field + "n");
        assertProblem(api.post("/api/jobs", prefix + "{\"type\":\"hybrid\",\"n\":2,\"parameters\":{\"low\":[0],"
                + "\"high\":[1]},\"parameterMask\":[[true]]}}}}"), 422, field + "parameterMask");
        assertProblem(api.post("/api/jobs", prefix + "{\"type\":\"hybrid\",\"n\":2,\"parameters\":{\"low\":[0],"
                + "\"high\":[1]},\"parameterMask\":[[true],[true,false]]}}}}"), 422, field + "parameterMask[1]");
        assertProblem(api.post("/api/jobs", prefix + "{\"type\":\"hybrid\",\"n\":2,\"parameters\":{\"low\":[0],"
                + "\"high\":[null]}}}}}"), 422, field + "parameters.high[0]");
        assertProblem(api.post("/api/jobs", prefix + "{\"type\":\"discrete\",\"n\":2,\"parameterMask\":[[true]]}}}}"),
                422, "environment.external.actionSpace");
        assertProblem(api.post("/api/jobs", "{\"environment\":{\"id\":\"Moving-v0\",\"rewardScale\":-1}}"), 422,
                "environment.rewardScale");
        assertProblem(api.post("/api/jobs", "{\"environment\":{\"id\":\"Moving-v0\"},\"hyperparameters\":"
                + "{\"useSde\":true}}"), 422, "hyperparameters.useSde");
    }
}

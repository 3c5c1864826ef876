package dev.proxima.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.support.Api;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Through the whole service: unknown jobs are 404 problems on every route, and listing by status
 * filters the stored jobs. The request-shape tables are slice tests (JobRequestValidationTest,
 * ActRequestValidationTest).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiErrorsTest {

    @LocalServerPort
    int port;

    @Test
    void unknownJobIsNotFound() {
        Api api = new Api(port);
        String id = UUID.randomUUID().toString();
        assertThat(api.get("/api/jobs/" + id).status()).isEqualTo(404);
        assertThat(api.get("/api/jobs/" + id + "/metrics").status()).isEqualTo(404);
        assertThat(api.post("/api/jobs/" + id + "/cancel", "").status()).isEqualTo(404);
        Api.Response act = api.post("/api/policies/" + id + "/act", "{\"observation\":[0,0,0,0]}");
        assertThat(act.status()).isEqualTo(404);
        assertThat(act.header("Content-Type")).startsWith("application/problem+json");
        assertThat(act.body().get("detail").asText()).contains(id);
    }

    /** Wrong JSON types are refused, naming the field, instead of being coerced to what was meant. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            fractional integer | /api/jobs | {"environment":{"id":"CartPole-v1"},"totalTimesteps":1000.5}                    | totalTimesteps
            integer as string  | /api/jobs | {"environment":{"id":"CartPole-v1"},"totalTimesteps":"1000"}                    | totalTimesteps
            fractional seed    | /api/jobs | {"environment":{"id":"CartPole-v1"},"seed":1.5}                                 | seed
            number as name     | /api/jobs | {"name":5,"environment":{"id":"CartPole-v1"}}                                   | name
            boolean as string  | /api/jobs | {"environment":{"id":"CartPole-v1"},"hyperparameters":{"normalizeAdvantage":"true"}} | hyperparameters.normalizeAdvantage
            rate as string     | /api/jobs | {"environment":{"id":"CartPole-v1"},"hyperparameters":{"learningRate":"1e-3"}}  | hyperparameters.learningRate
            null hidden size   | /api/jobs | {"environment":{"id":"CartPole-v1"},"hyperparameters":{"network":{"hiddenSizes":[null]}}} | hyperparameters.network.hiddenSizes[0]
            null in observation| /act      | {"observation":[null,0,0,0]}                                                    | observation[0]
            numbers as mask    | /act      | {"observation":[0,0,0,0],"actionMask":[1,0]}                                    | actionMask[0]
            strings as mask    | /act      | {"observation":[0,0,0,0],"actionMask":["true","false"]}                         | actionMask[0]
            """)
    void wrongTypesAreRefusedNotCoerced(String description, String path, String body, String field) {
        Api api = new Api(port);
        String target = path.equals("/act") ? "/api/policies/" + UUID.randomUUID() + "/act" : path;
        Api.Response response = api.post(target, body);
        assertThat(response.status()).as(String.valueOf(response.body())).isIn(400, 422);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.body().get("field").asText()).isEqualTo(field);
    }

    @Test
    void aSessionTakesItsActionsAndStatesInTheirOwnTypes() {
        Api api = new Api(port);
        String id = api.post("/api/environments/CartPole-v1/sessions", "{\"seed\": 1}").body().get("sessionId")
                .asText();
        for (String action : new String[] {"[1]", "1.0", "\"1\"", "true"}) {
            Api.Response step = api.post("/api/sessions/" + id + "/step", "{\"action\":" + action + "}");
            assertThat(step.status()).as(action).isEqualTo(422);
            assertThat(step.body().get("field").asText()).isEqualTo("action");
        }
        Api.Response reset = api.post("/api/sessions/" + id + "/reset", "{\"state\":[null,0,0,0]}");
        assertThat(reset.status()).isIn(400, 422);
        assertThat(reset.body().get("field").asText()).isEqualTo("state[0]");
        assertThat(api.post("/api/sessions/" + id + "/step", "{\"action\":1}").status()).isEqualTo(200);
        api.delete("/api/sessions/" + id);
    }

    @Test
    void listFiltersByStatus() throws Exception {
        Api api = new Api(port);
        String id = api.post("/api/jobs", """
                {"environment":{"id":"CartPole-v1"},"totalTimesteps":64,"seed":1,
                 "hyperparameters":{"nSteps":64,"batchSize":64,"nEpochs":1}}""").body().get("id").asText();
        assertThat(api.awaitJob(id, Api::finished, Duration.ofSeconds(60)).get("status").asText())
                .isEqualTo("SUCCEEDED");

        JsonNode succeeded = api.get("/api/jobs?status=SUCCEEDED&size=200").body().get("content");
        assertThat(succeeded.findValuesAsText("id")).contains(id);
        assertThat(succeeded.findValuesAsText("status")).containsOnly("SUCCEEDED");
        JsonNode cancelled = api.get("/api/jobs?status=CANCELLED&size=200").body().get("content");
        assertThat(cancelled.findValuesAsText("id")).doesNotContain(id);
        assertThat(cancelled.findValuesAsText("status")).allMatch("CANCELLED"::equals);
        assertThat(api.get("/api/jobs?size=200").body().get("content").findValuesAsText("id")).contains(id);
    }
}

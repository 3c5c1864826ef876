package dev.proxima.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.support.Api;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Bad input gets an RFC 7807 problem naming the field, never a 500. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiErrorsTest {

    @LocalServerPort
    int port;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown environment   | {"environment":{"id":"Nope-v0"}}                                                     | 422 | environment.id
            missing environment   | {"totalTimesteps":1000}                                                              | 422 | environment.id
            batch over rollout    | {"environment":{"id":"CartPole-v1","numEnvs":2},"hyperparameters":{"nSteps":8,"batchSize":64}} | 422 | hyperparameters.batchSize
            gamma zero            | {"environment":{"id":"CartPole-v1"},"hyperparameters":{"gamma":0}}                  | 422 | hyperparameters.gamma
            gamma above one       | {"environment":{"id":"CartPole-v1"},"hyperparameters":{"gamma":1.01}}               | 422 | hyperparameters.gamma
            negative rate         | {"environment":{"id":"CartPole-v1"},"hyperparameters":{"learningRate":-0.001}}      | 422 | hyperparameters.learningRate
            negative entCoef      | {"environment":{"id":"CartPole-v1"},"hyperparameters":{"entCoef":-0.1}}             | 422 | hyperparameters.entCoef
            unknown schedule      | {"environment":{"id":"CartPole-v1"},"hyperparameters":{"learningRateSchedule":"cosine"}} | 422 | hyperparameters.learningRateSchedule
            bad activation        | {"environment":{"id":"CartPole-v1"},"hyperparameters":{"network":{"activation":"gelu"}}} | 422 | hyperparameters.network.activation
            zero hidden size      | {"environment":{"id":"CartPole-v1"},"hyperparameters":{"network":{"hiddenSizes":[64,0]}}} | 422 | hyperparameters.network.hiddenSizes[1]
            zero numEnvs          | {"environment":{"id":"CartPole-v1","numEnvs":0}}                                     | 422 | environment.numEnvs
            zero checkpointEvery  | {"environment":{"id":"CartPole-v1"},"checkpointEvery":0}                           | 422 | checkpointEvery
            zero maxRuntime       | {"environment":{"id":"CartPole-v1"},"stopWhen":{"maxRuntimeSeconds":0}}           | 422 | stopWhen.maxRuntimeSeconds
            zero timesteps        | {"environment":{"id":"CartPole-v1"},"totalTimesteps":0}                             | 422 | totalTimesteps
            NUL in name           | {"name":"a\\u0000b","environment":{"id":"CartPole-v1"}}                           | 422 | name
            misspelt field        | {"environment":{"id":"CartPole-v1"},"hyperparameters":{"nStep":8}}                  | 400 | hyperparameters.nStep
            wrong type            | {"environment":{"id":"CartPole-v1"},"totalTimesteps":"many"}                        | 400 | totalTimesteps
            """)
    void invalidJobRequests(String description, String body, int status, String field) {
        Api.Response response = new Api(port).post("/api/jobs", body);
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.body().get("status").asInt()).isEqualTo(status);
        assertThat(response.body().get("field").asText()).isEqualTo(field);
        assertThat(response.body().get("detail").asText()).startsWith(field + ": ");
    }

    @Test
    void malformedJsonIsBadRequest() {
        Api.Response response = new Api(port).post("/api/jobs", "{\"environment\": {");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().get("detail").asText()).contains("malformed JSON");
    }

    @Test
    void unknownJobIsNotFound() {
        Api api = new Api(port);
        String id = UUID.randomUUID().toString();
        assertThat(api.get("/api/jobs/" + id).status()).isEqualTo(404);
        assertThat(api.get("/api/jobs/" + id + "/metrics").status()).isEqualTo(404);
        assertThat(api.post("/api/jobs/" + id + "/cancel", "").status()).isEqualTo(404);
        Api.Response act = api.post("/api/policies/" + id + "/act", "{\"observation\":[0,0,0,0]}");
        assertThat(act.status()).isEqualTo(404);
        assertThat(act.body().get("detail").asText()).contains(id);
    }

    @Test
    void malformedIdIsBadRequest() {
        Api.Response response = new Api(port).get("/api/jobs/not-a-uuid");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().get("field").asText()).isEqualTo("id");
    }

    @Test
    void environmentsDescribeTheirSpaces() {
        Api api = new Api(port);
        JsonNode cartPole = api.get("/api/environments").body().get(0);
        assertThat(cartPole.get("id").asText()).isEqualTo("CartPole-v1");
        assertThat(cartPole.get("observationSpace").get("type").asText()).isEqualTo("box");
        assertThat(cartPole.get("observationSpace").get("shape").get(0).asInt()).isEqualTo(4);
        assertThat(cartPole.get("observationSpace").get("high").get(0).asDouble()).isEqualTo((double) 4.8f);
        assertThat(cartPole.get("observationSpace").get("high").get(1).isNull()).isTrue();
        assertThat(cartPole.get("actionSpace").get("type").asText()).isEqualTo("discrete");
        assertThat(cartPole.get("actionSpace").get("n").asInt()).isEqualTo(2);
        assertThat(cartPole.get("maxEpisodeSteps").asInt()).isEqualTo(500);
        assertThat(cartPole.get("rewardThreshold").asDouble()).isEqualTo(475.0);
        assertThat(api.get("/api/environments/Nope-v0").status()).isEqualTo(404);
    }

    @Test
    void listFiltersByStatusAndChecksPaging() {
        Api api = new Api(port);
        assertThat(api.get("/api/jobs?status=SUCCEEDED").status()).isEqualTo(200);
        assertThat(api.get("/api/jobs?status=DONE").status()).isEqualTo(400);
        assertThat(api.get("/api/jobs?size=0").body().get("field").asText()).isEqualTo("size");
        assertThat(api.get("/api/jobs?page=20000000&size=200").status()).isEqualTo(422);
    }
}

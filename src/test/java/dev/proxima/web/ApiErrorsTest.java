package dev.proxima.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.support.Api;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
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

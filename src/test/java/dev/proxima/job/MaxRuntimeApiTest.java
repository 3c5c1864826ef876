package dev.proxima.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.support.Api;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** stopWhen.maxRuntimeSeconds ends a long job as SUCCEEDED after the first iteration past the limit. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MaxRuntimeApiTest {

    @LocalServerPort
    int port;

    @Test
    void aJobStopsAfterItsMaximumRuntimeWithAFinalCheckpoint() throws Exception {
        Api api = new Api(port);
        Api.Response submitted = api.post("/api/jobs", """
                {"environment":{"id":"CartPole-v1"},"totalTimesteps":100000000,"seed":8,"checkpointEvery":1000,
                 "hyperparameters":{"nSteps":256,"batchSize":256,"nEpochs":1},
                 "stopWhen":{"maxRuntimeSeconds":2}}""");
        assertThat(submitted.status()).isEqualTo(201);
        assertThat(submitted.body().get("request").get("stopWhen").get("maxRuntimeSeconds").asLong()).isEqualTo(2);
        String id = submitted.body().get("id").asText();

        JsonNode job = api.awaitJob(id, Api::finished, Duration.ofSeconds(60));
        assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(job.get("stopReason").asText()).isEqualTo("MAX_RUNTIME_SECONDS");
        assertThat(job.has("error")).isFalse();
        int iterations = job.get("iteration").asInt();
        assertThat(iterations).isGreaterThan(1);
        assertThat(job.get("timesteps").asLong()).isEqualTo(256L * iterations);

        JsonNode points = api.get("/api/jobs/" + id + "/metrics").body().get("points");
        assertThat(points).hasSize(iterations);
        assertThat(points.get(iterations - 1).get("elapsedSeconds").asDouble()).isGreaterThanOrEqualTo(2.0);
        assertThat(points.get(iterations - 2).get("elapsedSeconds").asDouble()).isLessThan(2.0);

        // checkpointEvery 1000 was never due: the only checkpoint is the final one
        JsonNode checkpoints = api.get("/api/jobs/" + id + "/checkpoints").body().get("checkpoints");
        assertThat(checkpoints).hasSize(1);
        assertThat(checkpoints.get(0).get("iteration").asInt()).isEqualTo(iterations);
        Api.Response act = api.post("/api/policies/" + id + "/act", "{\"observation\":[0,0,0,0]}");
        assertThat(act.status()).isEqualTo(200);
        assertThat(act.body().get("checkpoint").get("iteration").asInt()).isEqualTo(iterations);
    }
}

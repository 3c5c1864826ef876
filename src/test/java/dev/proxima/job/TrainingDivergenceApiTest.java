package dev.proxima.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.support.Api;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A real job driven to divergence: with a learning rate of 1e25 and no effective gradient
 * clipping, the first Adam step moves every weight by about 1e25, so the second iteration's
 * float32 outputs overflow and its gradient norm is NaN. The job fails naming the quantity and
 * the iteration, and the checkpoint written after the first iteration stays servable.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TrainingDivergenceApiTest {

    @LocalServerPort
    int port;

    @Test
    void aDivergedJobFailsAndItsLastGoodCheckpointStaysServable() throws Exception {
        Api api = new Api(port);
        Api.Response submitted = api.post("/api/jobs", """
                {"environment":{"id":"CartPole-v1"},"totalTimesteps":1280,"seed":7,"checkpointEvery":1,
                 "hyperparameters":{"nSteps":64,"batchSize":64,"nEpochs":1,"learningRate":1e25,
                                    "maxGradNorm":1e300}}""");
        assertThat(submitted.status()).isEqualTo(201);
        String id = submitted.body().get("id").asText();

        JsonNode job = api.awaitJob(id, Api::finished, Duration.ofSeconds(60));
        assertThat(job.get("status").asText()).isEqualTo("FAILED");
        assertThat(job.get("stopReason").asText()).isEqualTo("DIVERGED");
        assertThat(job.get("error").asText()).isEqualTo("training diverged: non-finite gradient norm (NaN) in "
                + "iteration 2; the checkpoint of iteration 1 is the last good one and stays servable");
        assertThat(job.get("iteration").asInt()).isEqualTo(1);
        assertThat(api.get("/api/jobs/" + id + "/metrics").body().get("points")).hasSize(1);

        JsonNode checkpoints = api.get("/api/jobs/" + id + "/checkpoints").body().get("checkpoints");
        assertThat(checkpoints).hasSize(1);
        assertThat(checkpoints.get(0).get("iteration").asInt()).isEqualTo(1);

        for (String checkpoint : new String[] {"latest", "best", "1"}) {
            Api.Response act = api.post("/api/policies/" + id + "/act?checkpoint=" + checkpoint,
                    "{\"observation\":[0.01,0.2,-0.03,-0.3],\"includeDetails\":true}");
            assertThat(act.status()).as(checkpoint).isEqualTo(200);
            assertThat(act.body().get("action").asInt()).isBetween(0, 1);
            assertThat(act.body().get("checkpoint").get("iteration").asInt()).isEqualTo(1);
            JsonNode probabilities = act.body().get("details").get("probabilities");
            assertThat(probabilities.get(0).asDouble() + probabilities.get(1).asDouble()).isBetween(0.999, 1.001);
            assertThat(act.body().get("details").get("value").isNumber()).isTrue();
        }
        assertThat(api.post("/api/policies/" + id + "/act?checkpoint=2", "{\"observation\":[0,0,0,0]}").status())
                .isEqualTo(404);
    }
}

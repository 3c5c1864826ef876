package dev.proxima.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.support.Api;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A real job driven to divergence. The hyperparameters' bounds no longer allow it (a learning
 * rate of 1e25 once did), so an external environment does: its runner sends rewards of 1e300
 * from the second iteration on, finite numbers whose squared value error overflows, so the
 * second iteration's loss is infinite. The job fails naming the quantity and the iteration, and
 * the checkpoint written after the first iteration stays servable.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "proxima.runners.poll=1s")
class TrainingDivergenceApiTest {

    private static final int ROLLOUT = 16;

    @LocalServerPort
    int port;

    @Test
    void aDivergedJobFailsAndItsLastGoodCheckpointStaysServable() throws Exception {
        Api api = new Api(port);
        Api.Response submitted = api.post("/api/jobs", """
                {"environment":{"external":{"observationSpace":{"type":"box","shape":[2],"low":[-1,-1],"high":[1,1]},
                  "actionSpace":{"type":"discrete","n":2}},"numEnvs":1},
                 "totalTimesteps":160,"seed":7,"checkpointEvery":1,
                 "hyperparameters":{"nSteps":16,"batchSize":16,"nEpochs":1}}""");
        assertThat(submitted.status()).isEqualTo(201);
        String id = submitted.body().get("id").asText();
        Map<String, String> auth = Map.of("Authorization", "Bearer " + submitted.body().get("runnerToken").asText());
        String runner = api.post("/api/jobs/" + id + "/runners", "{\"numEnvs\":1}", auth).body().get("runnerId")
                .asText();
        String steps = "/api/jobs/" + id + "/runners/" + runner + "/steps";

        for (int sequence = 0; sequence < 10 * ROLLOUT; ) {
            String observation = "[[" + Math.sin(sequence) * 0.5 + "," + Math.cos(sequence) * 0.5 + "]]";
            String reward = sequence > ROLLOUT ? "1e300" : "1.0";
            // episodes of 8 steps, so that the first checkpoint has an ep_rew_mean (and is the best)
            boolean ends = sequence % 8 == 0;
            String body = sequence == 0 ? "{\"sequence\":0,\"observations\":" + observation + "}"
                    : "{\"sequence\":" + sequence + ",\"observations\":" + observation + ",\"rewards\":[" + reward
                            + "],\"terminated\":[" + ends + "],\"truncated\":[false]}";
            Api.Response step = api.post(steps, body, auth);
            if (step.status() == 410) {
                break;
            }
            assertThat(step.status()).as(String.valueOf(step.body())).isIn(200, 202);
            if (step.status() == 200) {
                sequence++;
            }
        }

        JsonNode job = api.awaitJob(id, Api::finished, Duration.ofSeconds(60));
        assertThat(job.get("status").asText()).isEqualTo("FAILED");
        assertThat(job.get("stopReason").asText()).isEqualTo("DIVERGED");
        assertThat(job.get("error").asText()).isEqualTo("training diverged: non-finite loss (Infinity) in "
                + "iteration 2; the checkpoint of iteration 1 is the last good one and stays servable");
        assertThat(job.get("iteration").asInt()).isEqualTo(1);
        assertThat(api.get("/api/jobs/" + id + "/metrics").body().get("points")).hasSize(1);

        JsonNode checkpoints = api.get("/api/jobs/" + id + "/checkpoints").body().get("checkpoints");
        assertThat(checkpoints).hasSize(1);
        assertThat(checkpoints.get(0).get("iteration").asInt()).isEqualTo(1);

        for (String checkpoint : new String[] {"latest", "best", "1"}) {
            Api.Response act = api.post("/api/policies/" + id + "/act?checkpoint=" + checkpoint,
                    "{\"observation\":[0.1,-0.2],\"includeDetails\":true}");
            assertThat(act.status()).as(checkpoint).isEqualTo(200);
            assertThat(act.body().get("action").asInt()).isBetween(0, 1);
            assertThat(act.body().get("checkpoint").get("iteration").asInt()).isEqualTo(1);
            JsonNode probabilities = act.body().get("details").get("probabilities");
            assertThat(probabilities.get(0).asDouble() + probabilities.get(1).asDouble()).isBetween(0.999, 1.001);
            assertThat(act.body().get("details").get("value").isNumber()).isTrue();
        }
        assertThat(api.post("/api/policies/" + id + "/act?checkpoint=2", "{\"observation\":[0,0]}").status())
                .isEqualTo(404);
    }
}

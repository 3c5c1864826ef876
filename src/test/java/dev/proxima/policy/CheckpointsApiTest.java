package dev.proxima.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.support.Api;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** checkpointEvery, the final checkpoint, and retention of the newest checkpoints plus the best. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CheckpointsApiTest {

    @LocalServerPort
    int port;

    @Test
    void checkpointsEveryNIterationsAndAtTheEnd() throws Exception {
        Api api = new Api(port);
        String id = train(api, 8, 3, 11, 0.003);
        Api.Response listed = api.get("/api/jobs/" + id + "/checkpoints");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body().get("jobId").asText()).isEqualTo(id);
        JsonNode checkpoints = listed.body().get("checkpoints");
        assertThat(checkpoints.findValuesAsText("iteration")).containsExactly("3", "6", "8");
        JsonNode metrics = api.get("/api/jobs/" + id + "/metrics").body().get("points");
        for (JsonNode checkpoint : checkpoints) {
            int iteration = checkpoint.get("iteration").asInt();
            assertThat(checkpoint.get("timesteps").asLong()).isEqualTo(64L * iteration);
            assertThat(checkpoint.get("sizeBytes").asInt()).isGreaterThan(1000);
            assertThat(checkpoint.get("createdAt").isTextual()).isTrue();
            assertThat(checkpoint.get("best").isBoolean()).isTrue();
            assertThat(checkpoint.get("episodeReturnMean").asDouble())
                    .isEqualTo(metrics.get(iteration - 1).get("metrics").get("rollout/ep_rew_mean").asDouble());
        }
    }

    @Test
    void keepsTheNewestCheckpointsAndTheBestAndActServesEach() throws Exception {
        Api api = new Api(port);
        // a learning rate this high makes the policy collapse after its second iteration
        String id = train(api, 12, 1, 2, 0.3);
        JsonNode metrics = api.get("/api/jobs/" + id + "/metrics").body().get("points");
        int best = 0;
        double bestReturn = Double.NEGATIVE_INFINITY;
        for (JsonNode point : metrics) {
            JsonNode reward = point.get("metrics").get("rollout/ep_rew_mean");
            if (reward != null && reward.asDouble() > bestReturn) {
                bestReturn = reward.asDouble();
                best = point.get("iteration").asInt();
            }
        }
        assertThat(best).as("the scenario has a best older than the newest three").isLessThan(10);
        TreeSet<Integer> expected = new TreeSet<>(List.of(10, 11, 12, best));

        JsonNode checkpoints = api.get("/api/jobs/" + id + "/checkpoints").body().get("checkpoints");
        List<Integer> iterations = new ArrayList<>();
        List<Integer> flaggedBest = new ArrayList<>();
        for (JsonNode checkpoint : checkpoints) {
            iterations.add(checkpoint.get("iteration").asInt());
            if (checkpoint.get("best").asBoolean()) {
                flaggedBest.add(checkpoint.get("iteration").asInt());
            }
        }
        assertThat(iterations).containsExactlyElementsOf(expected);
        assertThat(flaggedBest).containsExactly(best);

        // /act serves each stored checkpoint on request, and says which it served
        String observation = "{\"observation\":[0.01,0.2,-0.03,-0.3],\"deterministic\":true,\"includeDetails\":true}";
        String act = "/api/policies/" + id + "/act";
        JsonNode byDefault = api.post(act, observation).body();
        assertThat(byDefault.get("checkpoint").get("iteration").asInt()).isEqualTo(12);
        assertThat(byDefault.get("checkpoint").get("timesteps").asLong()).isEqualTo(12 * 64);
        JsonNode latest = api.post(act + "?checkpoint=latest", observation).body();
        assertThat(latest).isEqualTo(byDefault);
        Api.Response bestAct = api.post(act + "?checkpoint=best", observation);
        assertThat(bestAct.status()).isEqualTo(200);
        assertThat(bestAct.body().get("checkpoint").get("iteration").asInt()).isEqualTo(best);
        assertThat(bestAct.body().get("checkpoint").get("episodeReturnMean").asDouble()).isEqualTo(bestReturn);
        // a different policy answers, not the latest one cached under another name
        assertThat(bestAct.body().get("details").get("probabilities"))
                .isNotEqualTo(byDefault.get("details").get("probabilities"));
        JsonNode eleventh = api.post(act + "?checkpoint=11", observation).body();
        assertThat(eleventh.get("checkpoint").get("iteration").asInt()).isEqualTo(11);
        assertThat(eleventh.get("details").get("probabilities"))
                .isNotEqualTo(byDefault.get("details").get("probabilities"));

        int deleted = best == 5 ? 6 : 5;
        Api.Response notStored = api.post(act + "?checkpoint=" + deleted, observation);
        assertThat(notStored.status()).isEqualTo(404);
        assertThat(notStored.header("Content-Type")).startsWith("application/problem+json");
        assertThat(notStored.body().get("detail").asText()).contains("iteration " + deleted);
        for (String malformed : List.of("abc", "0", "-1", "1.5", "")) {
            Api.Response response = api.post(act + "?checkpoint=" + malformed, observation);
            assertThat(response.status()).as(malformed).isEqualTo(422);
            assertThat(response.body().get("field").asText()).isEqualTo("checkpoint");
        }
    }

    @Test
    void bestNeedsACheckpointWithAnEpisodeReturn() throws Exception {
        Api api = new Api(port);
        // 8 steps: no CartPole episode ends that soon, so the checkpoint has no ep_rew_mean
        String id = api.post("/api/jobs", """
                {"environment":{"id":"CartPole-v1"},"totalTimesteps":8,"seed":4,
                 "hyperparameters":{"nSteps":8,"batchSize":8,"nEpochs":1}}""").body().get("id").asText();
        JsonNode job = api.awaitJob(id, Api::finished, Duration.ofSeconds(60));
        assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(job.has("episodeReturnMean")).isFalse();
        JsonNode checkpoint = api.get("/api/jobs/" + id + "/checkpoints").body().get("checkpoints").get(0);
        assertThat(checkpoint.has("episodeReturnMean")).isFalse();
        assertThat(checkpoint.get("best").asBoolean()).isFalse();

        String observation = "{\"observation\":[0,0,0,0]}";
        Api.Response best = api.post("/api/policies/" + id + "/act?checkpoint=best", observation);
        assertThat(best.status()).isEqualTo(409);
        assertThat(best.body().get("detail").asText()).contains("no best checkpoint");
        Api.Response latest = api.post("/api/policies/" + id + "/act?checkpoint=latest", observation);
        assertThat(latest.status()).isEqualTo(200);
        assertThat(latest.body().get("checkpoint").get("iteration").asInt()).isEqualTo(1);
        assertThat(api.post("/api/policies/" + UUID.randomUUID() + "/act?checkpoint=best", observation).status())
                .isEqualTo(404);
    }

    @Test
    void unknownJobHasNoCheckpointList() {
        String id = UUID.randomUUID().toString();
        Api.Response response = new Api(port).get("/api/jobs/" + id + "/checkpoints");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.body().get("detail").asText()).contains(id);
    }

    /** A seeded CartPole job of {@code iterations} iterations of 64 steps. */
    static String train(Api api, int iterations, int checkpointEvery, long seed, double learningRate)
            throws InterruptedException {
        Api.Response submitted = api.post("/api/jobs", """
                {"environment":{"id":"CartPole-v1"},"totalTimesteps":%d,"seed":%d,"checkpointEvery":%d,
                 "hyperparameters":{"nSteps":64,"batchSize":64,"nEpochs":4,"learningRate":%s}}"""
                .formatted(64 * iterations, seed, checkpointEvery, learningRate));
        assertThat(submitted.status()).isEqualTo(201);
        assertThat(submitted.body().get("request").get("checkpointEvery").asInt()).isEqualTo(checkpointEvery);
        String id = submitted.body().get("id").asText();
        JsonNode job = api.awaitJob(id, Api::finished, Duration.ofSeconds(120));
        assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(job.get("iteration").asInt()).isEqualTo(iterations);
        return id;
    }
}

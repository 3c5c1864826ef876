package dev.proxima.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.support.Api;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Defaults, /act before and after the first checkpoint, cancellation within an iteration. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JobLifecycleTest {

    @LocalServerPort
    int port;

    @Test
    void runningJobIsCancelledWithinOneIterationAndStaysServable() throws Exception {
        Api api = new Api(port);
        // one long iteration (16k steps), so the 409 and the cancel land inside it
        Api.Response submitted = api.post("/api/jobs", """
                {"environment":{"id":"CartPole-v1"},"totalTimesteps":1000000,"seed":3,
                 "hyperparameters":{"nSteps":16384,"batchSize":4096,"nEpochs":1}}""");
        assertThat(submitted.status()).isEqualTo(201);
        String id = submitted.body().get("id").asText();

        Api.Response early = api.post("/api/policies/" + id + "/act", "{\"observation\":[0,0,0,0]}");
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.header("Content-Type")).startsWith("application/problem+json");

        api.awaitJob(id, job -> job.get("status").asText().equals("RUNNING"), Duration.ofSeconds(60));
        Api.Response cancel = api.post("/api/jobs/" + id + "/cancel", "");
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.body().get("cancelRequested").asBoolean()).isTrue();

        long cancelledAt = System.nanoTime();
        JsonNode job = api.awaitJob(id, Api::finished, Duration.ofSeconds(120));
        // within the iteration it landed in (plus the second of grace), however fast iterations are here
        assertThat((System.nanoTime() - cancelledAt) / 1e9).isLessThan(10);
        assertThat(job.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(job.get("stopReason").asText()).isEqualTo("CANCELLED");
        assertThat(job.get("iteration").asInt()).isBetween(1, cancel.body().get("iteration").asInt() + 3);
        assertThat(job.get("timesteps").asLong()).isLessThan(1_000_000);

        Api.Response act = api.post("/api/policies/" + id + "/act",
                "{\"observations\":[[0.01,0.0,0.02,0.0],[0.0,0.1,-0.02,-0.1]],\"deterministic\":true}");
        assertThat(act.status()).isEqualTo(200);
        assertThat(act.body().get("actions")).hasSize(2);
        assertThat(act.body().get("actions").get(0).asInt()).isBetween(0, 1);
        // the iteration the cancel landed in ends and is checkpointed, unless it ran past the grace
        // of a second (a busy machine), when it is cut off and the last checkpoint written stands
        int served = act.body().get("checkpoint").get("iteration").asInt();
        assertThat(served).isBetween(1, job.get("iteration").asInt());
        assertThat(act.body().get("checkpoint").get("timesteps").asLong()).isEqualTo(16_384L * served);

        assertThat(api.post("/api/jobs/" + id + "/cancel", "").status()).isEqualTo(409);
        // the shape checks of /act requests are ActRequestValidationTest's
    }

    @Test
    void aQueuedJobIsCancelledAtOnceWhileAnotherRuns() throws Exception {
        Api api = new Api(port);
        String running = api.post("/api/jobs", """
                {"environment":{"id":"CartPole-v1"},"totalTimesteps":1000000,"seed":3,
                 "hyperparameters":{"nSteps":16384,"batchSize":4096,"nEpochs":1}}""").body().get("id").asText();
        api.awaitJob(running, job -> job.get("status").asText().equals("RUNNING"), Duration.ofSeconds(60));
        // one job at a time on this instance: the second waits in the queue
        String queued = api.post("/api/jobs", "{\"environment\":{\"id\":\"CartPole-v1\"}}").body().get("id").asText();
        assertThat(api.get("/api/jobs/" + queued).body().get("status").asText()).isEqualTo("QUEUED");

        Api.Response cancelled = api.post("/api/jobs/" + queued + "/cancel", "");
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.body().get("stopReason").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.body().get("finishedAt").isTextual()).isTrue();

        api.post("/api/jobs/" + running + "/cancel", "");
        assertThat(api.awaitJob(running, Api::finished, Duration.ofSeconds(120)).get("status").asText())
                .isEqualTo("CANCELLED");
        Thread.sleep(1500);
        JsonNode stillCancelled = api.get("/api/jobs/" + queued).body();
        assertThat(stillCancelled.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(stillCancelled.has("startedAt")).isFalse();
    }

    @Test
    void defaultsAreFilledInAndMetricsPage() throws Exception {
        Api api = new Api(port);
        Api.Response submitted = api.post("/api/jobs", """
                {"environment":{"id":"CartPole-v1","numEnvs":4},"totalTimesteps":2048,
                 "hyperparameters":{"nSteps":128,"batchSize":128,"nEpochs":2}}""");
        assertThat(submitted.status()).isEqualTo(201);
        assertThat(submitted.body().has("stopReason")).isFalse();
        JsonNode request = submitted.body().get("request");
        assertThat(request.has("checkpointEvery")).isFalse();
        assertThat(request.get("name").asText()).isEqualTo("CartPole-v1");
        assertThat(request.get("seed").isNumber()).isTrue();
        JsonNode hyper = request.get("hyperparameters");
        assertThat(hyper.get("learningRate").asDouble()).isEqualTo(3e-4);
        assertThat(hyper.get("gamma").asDouble()).isEqualTo(0.99);
        assertThat(hyper.get("gaeLambda").asDouble()).isEqualTo(0.95);
        assertThat(hyper.get("clipRange").asDouble()).isEqualTo(0.2);
        assertThat(hyper.get("vfCoef").asDouble()).isEqualTo(0.5);
        assertThat(hyper.get("maxGradNorm").asDouble()).isEqualTo(0.5);
        assertThat(hyper.get("network").get("hiddenSizes").toString()).isEqualTo("[64,64]");

        String id = submitted.body().get("id").asText();
        JsonNode job = api.awaitJob(id, Api::finished, Duration.ofSeconds(120));
        assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(job.get("stopReason").asText()).isEqualTo("TOTAL_TIMESTEPS");
        assertThat(job.get("iteration").asInt()).isEqualTo(4);
        assertThat(job.get("timesteps").asLong()).isEqualTo(2048);

        JsonNode page = api.get("/api/jobs/" + id + "/metrics?afterIteration=1&limit=2").body();
        assertThat(page.get("points")).hasSize(2);
        assertThat(page.get("points").get(0).get("iteration").asInt()).isEqualTo(2);
        assertThat(page.get("points").get(1).get("iteration").asInt()).isEqualTo(3);
        assertThat(page.get("points").get(1).get("timesteps").asLong()).isEqualTo(1536);
        assertThat(page.get("points").get(1).get("metrics").get("time/total_timesteps").asDouble()).isEqualTo(1536);
        assertThat(api.get("/api/jobs/" + id + "/metrics?limit=0").status()).isEqualTo(422);

        JsonNode list = api.get("/api/jobs?status=SUCCEEDED").body();
        assertThat(list.get("content").findValuesAsText("id")).contains(id);
    }

    @Test
    void aFinishedJobIsDeletedWithItsMetricsAndCheckpointsAndAnActiveOneIsNot() throws Exception {
        Api api = new Api(port);
        String id = api.post("/api/jobs", """
                {"environment":{"id":"CartPole-v1"},"totalTimesteps":256,"seed":4,"checkpointEvery":1,
                 "hyperparameters":{"nSteps":64,"batchSize":64,"nEpochs":1}}""").body().get("id").asText();
        api.awaitJob(id, Api::finished, Duration.ofSeconds(60));
        String act = "/api/policies/" + id + "/act";
        assertThat(api.post(act, "{\"observation\":[0,0,0,0]}").status()).isEqualTo(200);
        assertThat(api.get("/api/jobs/" + id + "/checkpoints").body().get("checkpoints")).isNotEmpty();

        assertThat(api.delete("/api/jobs/" + id).status()).isEqualTo(204);

        assertThat(api.get("/api/jobs/" + id).status()).isEqualTo(404);
        assertThat(api.get("/api/jobs/" + id + "/metrics").status()).isEqualTo(404);
        assertThat(api.get("/api/jobs/" + id + "/checkpoints").status()).isEqualTo(404);
        // the policy was in memory: it stops answering at once
        assertThat(api.post(act, "{\"observation\":[0,0,0,0]}").status()).isEqualTo(404);
        assertThat(api.delete("/api/jobs/" + id).status()).isEqualTo(404);
        assertThat(api.get("/api/jobs?size=200").body().get("content").findValuesAsText("id")).doesNotContain(id);

        String running = api.post("/api/jobs", QueueLimitApiTest.LONG_JOB).body().get("id").asText();
        try {
            Api.Response refused = api.delete("/api/jobs/" + running);
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.body().get("detail").asText()).contains("cancel it before deleting it");
        } finally {
            api.post("/api/jobs/" + running + "/cancel", "");
            api.awaitJob(running, Api::finished, Duration.ofSeconds(60));
        }
        assertThat(api.delete("/api/jobs/" + running).status()).isEqualTo(204);
    }
}

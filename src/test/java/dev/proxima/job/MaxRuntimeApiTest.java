package dev.proxima.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.support.Api;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * stopWhen.maxRuntimeSeconds ends a long job as SUCCEEDED once the limit is reached, inside an
 * iteration too; cancelling does not wait for the end of an iteration either.
 */
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
        // the job stops after the iteration that a further one as long would carry past the limit,
        // with its final checkpoint; iterations vary a little, so the last may end just past it,
        // but never by the grace after which an iteration is cut off
        assertThat(points.get(iterations - 2).get("elapsedSeconds").asDouble()).isLessThan(2.0);
        assertThat(points.get(iterations - 1).get("elapsedSeconds").asDouble())
                .isLessThan(2.0 + TrainingRunner.STOP_GRACE_SECONDS);

        // checkpointEvery 1000 was never due: the only checkpoint is the final one
        JsonNode checkpoints = api.get("/api/jobs/" + id + "/checkpoints").body().get("checkpoints");
        assertThat(checkpoints).hasSize(1);
        assertThat(checkpoints.get(0).get("iteration").asInt()).isEqualTo(iterations);
        Api.Response act = api.post("/api/policies/" + id + "/act", "{\"observation\":[0,0,0,0]}");
        assertThat(act.status()).isEqualTo(200);
        assertThat(act.body().get("checkpoint").get("iteration").asInt()).isEqualTo(iterations);
    }

    /**
     * One iteration of 64 x 16,384 environment steps and 32,768 minibatches: 9.6 s in-process on
     * this 2-core machine (2026-12-03), well over the limit of 2 s.
     */
    private static final String LONG_ITERATION = """
            {"environment":{"id":"CartPole-v1","numEnvs":64},"totalTimesteps":1,"seed":8,
             "hyperparameters":{"nSteps":16384,"batchSize":32,"nEpochs":1}%s}""";

    @Test
    void theLimitIsKeptInsideAnIterationWhoseLengthTheRequestChose() throws Exception {
        Api api = new Api(port);
        long started = System.nanoTime();
        String id = api.post("/api/jobs", LONG_ITERATION.formatted(",\"stopWhen\":{\"maxRuntimeSeconds\":2}"))
                .body().get("id").asText();

        JsonNode job = api.awaitJob(id, Api::finished, Duration.ofSeconds(60));
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(job.get("stopReason").asText()).isEqualTo("MAX_RUNTIME_SECONDS");
        // 2 s of training, the start and the polling around it
        assertThat(seconds).isLessThan(8);
        // no iteration ended: nothing to report, nothing to serve
        assertThat(job.get("iteration").asInt()).isZero();
        assertThat(api.get("/api/jobs/" + id + "/checkpoints").body().get("checkpoints")).isEmpty();
    }

    @Test
    void aCancelStopsARunningIterationWithinSeconds() throws Exception {
        Api api = new Api(port);
        String id = api.post("/api/jobs", LONG_ITERATION.formatted("")).body().get("id").asText();
        api.awaitJob(id, job -> job.get("status").asText().equals("RUNNING"), Duration.ofSeconds(30));
        Thread.sleep(500);

        long cancelled = System.nanoTime();
        assertThat(api.post("/api/jobs/" + id + "/cancel", "{}").status()).isEqualTo(200);
        JsonNode job = api.awaitJob(id, Api::finished, Duration.ofSeconds(30));
        double seconds = (System.nanoTime() - cancelled) / 1e9;
        assertThat(job.get("status").asText()).isEqualTo("CANCELLED");
        // the flag is read every 0.5 s while nothing is written, and checked before every step and minibatch
        assertThat(seconds).isLessThan(4);
        assertThat(job.get("iteration").asInt()).isZero();
    }
}

package dev.proxima.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.support.Api;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Each owner's share: queued and running jobs, open sessions, checkpoint bytes per job and per owner. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "proxima.quotas.active-jobs-per-owner=2", "proxima.quotas.sessions-per-owner=2",
        "proxima.quotas.checkpoint-bytes-per-job=20MB", "proxima.quotas.checkpoint-bytes-per-owner=8MB"})
class OwnerQuotaApiTest {

    private static final String LONG_JOB = """
            {"environment":{"id":"CartPole-v1"},"totalTimesteps":10000000}""";
    /** Two iterations of 256x256 networks, a checkpoint after each: about 1.6 MB apiece. */
    private static final String WIDE_JOB = """
            {"environment":{"id":"CartPole-v1"},"totalTimesteps":128,"checkpointEvery":1,
             "hyperparameters":{"nSteps":64,"batchSize":64,"nEpochs":1,"network":{"hiddenSizes":[256,256]}}}""";

    @LocalServerPort
    int port;

    @Test
    void anOwnersQueuedAndRunningJobsAreBounded() throws InterruptedException {
        Api admin = new Api(port);
        Api carol = admin.newKey("carol", "train");
        List<String> jobs = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Api.Response accepted = carol.post("/api/jobs", LONG_JOB);
                assertThat(accepted.status()).isEqualTo(201);
                jobs.add(accepted.body().get("id").asText());
            }
            Api.Response third = carol.post("/api/jobs", LONG_JOB);
            assertThat(third.status()).isEqualTo(429);
            assertThat(third.header("Retry-After")).isNotBlank();
            assertThat(third.body().get("detail").asText()).contains("carol", "proxima.quotas.active-jobs-per-owner");

            Api.Response another = admin.newKey("dan", "train").post("/api/jobs", LONG_JOB);
            assertThat(another.status()).as("another owner's share is its own").isEqualTo(201);
            jobs.add(another.body().get("id").asText());

            assertThat(carol.post("/api/jobs/" + jobs.get(0) + "/cancel", "").status()).isEqualTo(200);
            carol.awaitJob(jobs.get(0), Api::finished, Duration.ofSeconds(60));
            Api.Response afterCancel = carol.post("/api/jobs", LONG_JOB);
            assertThat(afterCancel.status()).isEqualTo(201);
            jobs.add(afterCancel.body().get("id").asText());
        } finally {
            jobs.forEach(id -> admin.post("/api/jobs/" + id + "/cancel", ""));
        }
    }

    @Test
    void anOwnersOpenSessionsAreBounded() {
        Api admin = new Api(port);
        Api erin = admin.newKey("erin", "train");
        String first = erin.post("/api/environments/CartPole-v1/sessions", "{}").body().get("sessionId").asText();
        assertThat(erin.post("/api/environments/CartPole-v1/sessions", "{}").status()).isEqualTo(201);
        Api.Response third = erin.post("/api/environments/CartPole-v1/sessions", "{}");
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.body().get("detail").asText()).contains("proxima.quotas.sessions-per-owner");
        assertThat(admin.newKey("fay", "train").post("/api/environments/CartPole-v1/sessions", "{}").status())
                .isEqualTo(201);
        assertThat(erin.delete("/api/sessions/" + first).status()).isEqualTo(204);
        assertThat(erin.post("/api/environments/CartPole-v1/sessions", "{}").status()).isEqualTo(201);
    }

    @Test
    void checkpointBytesAreBoundedPerJobAndPerOwner() throws InterruptedException {
        Api gus = new Api(port).newKey("gus", "train");
        Api.Response tooWide = gus.post("/api/jobs", WIDE_JOB.replace("[256,256]", "[1024,1024]"));
        assertThat(tooWide.status()).isEqualTo(422);
        assertThat(tooWide.body().get("field").asText()).isEqualTo("hyperparameters.network.hiddenSizes");
        assertThat(tooWide.body().get("detail").asText()).contains("proxima.quotas.checkpoint-bytes-per-job");

        Api.Response first = gus.post("/api/jobs", WIDE_JOB);
        assertThat(first.status()).isEqualTo(201);
        String id = first.body().get("id").asText();
        JsonNode done = gus.awaitJob(id, Api::finished, Duration.ofSeconds(120));
        assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
        long stored = 0;
        for (JsonNode checkpoint : gus.get("/api/jobs/" + id + "/checkpoints").body().get("checkpoints")) {
            stored += checkpoint.get("sizeBytes").asLong();
        }
        assertThat(stored).as("the first job's checkpoints").isGreaterThan(2_000_000);

        // what is stored and what the next job's checkpoints may take pass the owner's 8 MB
        Api.Response second = gus.post("/api/jobs", WIDE_JOB);
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.body().get("detail").asText()).contains("gus", "proxima.quotas.checkpoint-bytes-per-owner");

        assertThat(gus.delete("/api/jobs/" + id).status()).isEqualTo(204);
        Api.Response afterDelete = gus.post("/api/jobs", WIDE_JOB);
        assertThat(afterDelete.status()).isEqualTo(201);
        gus.awaitJob(afterDelete.body().get("id").asText(), Api::finished, Duration.ofSeconds(120));
    }
}

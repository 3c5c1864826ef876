package dev.proxima.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxima.support.Api;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** proxima.jobs.max-queued bounds the jobs queued or running: beyond it, a submission is a 429. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "proxima.jobs.max-queued=2")
class QueueLimitApiTest {

    /** Long enough to stay queued or running until cancelled. */
    static final String LONG_JOB = """
            {"environment":{"id":"CartPole-v1"},"totalTimesteps":1000000,"seed":3,
             "hyperparameters":{"nSteps":16384,"batchSize":4096,"nEpochs":1}}""";

    @LocalServerPort
    int port;

    @Test
    void aFullQueueAnswers429WithRetryAfterUntilAJobLeavesIt() throws Exception {
        Api api = new Api(port);
        List<String> ids = new ArrayList<>();
        try {
            Map<String, String> key = Map.of("Idempotency-Key", "first-long-job");
            Api.Response running = api.post("/api/jobs", LONG_JOB, key);
            assertThat(running.status()).isEqualTo(201);
            ids.add(running.body().get("id").asText());
            Api.Response queued = api.post("/api/jobs", LONG_JOB);
            assertThat(queued.status()).isEqualTo(201);
            ids.add(queued.body().get("id").asText());

            Api.Response refused = api.post("/api/jobs", LONG_JOB);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).isEqualTo("60");
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.body().get("status").asInt()).isEqualTo(429);
            assertThat(refused.body().get("title").asText()).isEqualTo("Job queue full");
            assertThat(refused.body().get("detail").asText()).contains("2 jobs queued or running");
            assertThat(api.get("/api/jobs?size=200").body().get("totalElements").asInt()).isEqualTo(2);

            // a retry of an admitted submission is answered with its job, full queue or not
            Api.Response retry = api.post("/api/jobs", LONG_JOB, key);
            assertThat(retry.status()).isEqualTo(200);
            assertThat(retry.body().get("id").asText()).isEqualTo(ids.get(0));

            assertThat(api.post("/api/jobs/" + ids.get(1) + "/cancel", "").status()).isEqualTo(200);
            Api.Response admitted = api.post("/api/jobs", LONG_JOB);
            assertThat(admitted.status()).isEqualTo(201);
            ids.add(admitted.body().get("id").asText());
        } finally {
            // leave no training behind in this cached context
            for (String id : ids) {
                api.post("/api/jobs/" + id + "/cancel", "");
            }
            for (String id : ids) {
                api.awaitJob(id, Api::finished, Duration.ofSeconds(120));
            }
        }
    }

    @Test
    void fiftyParallelSubmissionsAdmitExactlyTheLimit() throws Exception {
        Api api = new Api(port);
        ExecutorService clients = Executors.newFixedThreadPool(50);
        List<String> admitted = new ArrayList<>();
        try {
            List<Future<Api.Response>> submissions = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int i = 0; i < 50; i++) {
                submissions.add(clients.submit(() -> {
                    start.await();
                    return api.post("/api/jobs", LONG_JOB);
                }));
            }
            start.countDown();
            int refused = 0;
            for (Future<Api.Response> submission : submissions) {
                Api.Response response = submission.get(60, TimeUnit.SECONDS);
                if (response.status() == 201) {
                    admitted.add(response.body().get("id").asText());
                } else {
                    assertThat(response.status()).isEqualTo(429);
                    refused++;
                }
            }
            // without the lock, 10 were admitted here (11 with a limit of 3 in the probe): each counted
            // the queue before the others inserted
            assertThat(admitted).hasSize(2);
            assertThat(refused).isEqualTo(48);
        } finally {
            clients.shutdownNow();
            for (String id : admitted) {
                api.post("/api/jobs/" + id + "/cancel", "");
            }
            for (String id : admitted) {
                api.awaitJob(id, Api::finished, Duration.ofSeconds(120));
            }
        }
    }
}

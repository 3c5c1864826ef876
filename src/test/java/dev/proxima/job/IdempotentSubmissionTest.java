package dev.proxima.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proxima.support.Api;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** POST /api/jobs with an Idempotency-Key: retries return the first job, never a second one. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IdempotentSubmissionTest {

    @LocalServerPort
    int port;

    @Autowired
    JobSubmissions submissions;

    @Autowired
    JobRequests requests;

    @Autowired
    ObjectMapper json;

    @Autowired
    JobRepository jobs;

    /** A tiny job, named so that the test can count its jobs. */
    private static String job(String name) {
        return """
                {"name":"%s","environment":{"id":"CartPole-v1"},"totalTimesteps":64,"seed":1,
                 "hyperparameters":{"nSteps":64,"batchSize":64,"nEpochs":1}}""".formatted(name);
    }

    private long jobsNamed(String name) {
        return jobs.findAll().stream().filter(job -> job.getName().equals(name)).count();
    }

    @Test
    void aRetryReturnsTheFirstJob() {
        Api api = new Api(port);
        String name = "retry-" + UUID.randomUUID();
        Map<String, String> key = Map.of("Idempotency-Key", "key-" + name);
        Api.Response first = api.post("/api/jobs", job(name), key);
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        String id = first.body().get("id").asText();

        Api.Response retry = api.post("/api/jobs", job(name), key);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.body().get("id").asText()).isEqualTo(id);
        assertThat(retry.body().get("request")).isEqualTo(first.body().get("request"));

        // the same request written differently is still a retry
        Api.Response reformatted = api.post("/api/jobs", """
                { "hyperparameters": {"nEpochs": 1, "batchSize": 64, "nSteps": 64}, "seed": 1,
                  "totalTimesteps": 64, "environment": {"id": "CartPole-v1"}, "name": "%s" }""".formatted(name), key);
        assertThat(reformatted.status()).isEqualTo(200);
        assertThat(reformatted.body().get("id").asText()).isEqualTo(id);
        assertThat(jobsNamed(name)).isEqualTo(1);

        // without a key, the same request is a new job
        Api.Response unkeyed = api.post("/api/jobs", job(name));
        assertThat(unkeyed.status()).isEqualTo(201);
        assertThat(unkeyed.body().get("id").asText()).isNotEqualTo(id);
        assertThat(jobsNamed(name)).isEqualTo(2);
    }

    @Test
    void aKeyReusedForAnotherRequestIsRefused() {
        Api api = new Api(port);
        String name = "reuse-" + UUID.randomUUID();
        Map<String, String> key = Map.of("Idempotency-Key", "key-" + name);
        String id = api.post("/api/jobs", job(name), key).body().get("id").asText();

        Api.Response reused = api.post("/api/jobs", job(name).replace("\"seed\":1", "\"seed\":2"), key);
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reused.body().get("type").asText()).isEqualTo("/problems/idempotency-key-reused");
        assertThat(reused.body().get("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(reused.body().get("jobId").asText()).isEqualTo(id);
        assertThat(reused.body().get("detail").asText()).contains(id);
        assertThat(jobsNamed(name)).isEqualTo(1);
    }

    @Test
    void concurrentRetriesCreateOneJob() throws Exception {
        Api api = new Api(port);
        String name = "concurrent-" + UUID.randomUUID();
        Map<String, String> key = Map.of("Idempotency-Key", "key-" + name);
        int clients = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<Api.Response>> responses = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                responses.add(pool.submit(() -> {
                    start.await();
                    return api.post("/api/jobs", job(name), key);
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (Future<Api.Response> response : responses) {
                statuses.add(response.get().status());
                ids.add(response.get().body().get("id").asText());
            }
            assertThat(statuses).containsOnly(201, 200);
            assertThat(statuses.stream().filter(status -> status == 201)).hasSize(1);
            assertThat(ids).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(jobsNamed(name)).isEqualTo(1);
    }

    /** The race itself, made certain: a submission that missed the stored key is stopped by the unique index. */
    @Test
    void aSubmissionThatLosesTheRaceReturnsTheWinnersJob() throws Exception {
        String name = "race-" + UUID.randomUUID();
        JobRequest submitted = json.readValue(job(name), JobRequest.class);
        IdempotencyKey key = IdempotencyKey.of("key-" + name, submissions.canonicalJson(submitted));
        SubmittedJob winner = submissions.enqueueOrReplay(requests.effective(submitted), key, "admin");
        assertThat(winner.replayed()).isFalse();

        SubmittedJob loser = submissions.enqueueOrReplay(requests.effective(submitted), key, "admin");
        assertThat(loser.replayed()).isTrue();
        assertThat(loser.job().id()).isEqualTo(winner.job().id());
        assertThat(jobsNamed(name)).isEqualTo(1);

        JobRequest other = json.readValue(job(name).replace("\"seed\":1", "\"seed\":2"), JobRequest.class);
        IdempotencyKey sameKeyOtherRequest = IdempotencyKey.of("key-" + name, submissions.canonicalJson(other));
        assertThatThrownBy(() -> submissions.enqueueOrReplay(requests.effective(other), sameKeyOtherRequest, "admin"))
                .isInstanceOf(IdempotencyKeyReusedException.class);
        assertThat(jobsNamed(name)).isEqualTo(1);
    }
}

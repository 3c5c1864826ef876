package dev.proxima.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.client.ProximaRunner;
import dev.proxima.support.Api;
import dev.proxima.support.ServiceProcess;
import dev.proxima.support.Simulations;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An external job through a crash: the service is killed (kill -9) while a runner steps the
 * job, then started again on the same address; the runner retries through the outage, attaches
 * again when the new process does not know it, and the job resumes from its checkpoint.
 */
class ExternalJobRestartTest {

    private static final int ROLLOUT = 8 * 32;
    private static final int ITERATIONS = 40;

    @TempDir
    Path directory;

    private static List<String> arguments() {
        return List.of("--proxima.jobs.checkpoint-interval=1s", "--db-scheduler.heartbeat-interval=1s",
                "--db-scheduler.polling-interval=500ms", "--proxima.runners.poll=2s");
    }

    @Test
    void aKilledServiceResumesTheExternalJobFromItsCheckpointOnceTheRunnerIsBack() throws Exception {
        int port = ServiceProcess.freePort();
        String id;
        String token;
        List<JsonNode> before;
        CompletableFuture<Void> stepping;
        ProximaRunner runner;
        try (ServiceProcess first = ServiceProcess.start(directory, "first", arguments(), port)) {
            Api api = first.api();
            JsonNode spec = api.get("/api/environments/CartPole-v1").body();
            Api.Response created = api.post("/api/jobs", Map.of(
                    "environment", Map.of("external", Map.of("observationSpace", spec.get("observationSpace"),
                            "actionSpace", Map.of("type", "discrete", "n", 2)), "numEnvs", 8),
                    "totalTimesteps", ITERATIONS * ROLLOUT, "seed", 9, "checkpointEvery", 3,
                    "hyperparameters", Map.of("nSteps", 32, "batchSize", 256, "nEpochs", 20, "gamma", 0.98,
                            "gaeLambda", 0.8, "learningRate", 0.001)));
            assertThat(created.status()).isEqualTo(201);
            id = created.body().get("id").asText();
            token = created.body().get("runnerToken").asText();
            runner = new ProximaRunner(URI.create("http://localhost:" + port), UUID.fromString(id), token, 8,
                    copy -> Simulations.of("CartPole-v1"), Duration.ofMinutes(3));
            ProximaRunner stepper = runner;
            stepping = CompletableFuture.runAsync(() -> {
                try {
                    stepper.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            api.awaitJob(id, job -> job.path("iteration").asInt() >= 10, Duration.ofMinutes(2));
            before = points(api, id);
            first.kill();
        }
        UUID runnerBefore = runner.runnerId();

        try (ServiceProcess second = ServiceProcess.start(directory, "second", arguments(), port)) {
            CompletableFuture<Void> runnerDone = stepping;
            second.api().awaitJob(id, job -> Api.finished(job) || runnerDone.isDone(), Duration.ofMinutes(3));
            stepping.get(60, TimeUnit.SECONDS);
            JsonNode job = second.api().awaitJob(id, Api::finished, Duration.ofSeconds(30));
            assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(job.get("timesteps").asLong()).isEqualTo((long) ITERATIONS * ROLLOUT);
            int resumed = resumedFrom(second, id);
            assertThat(resumed).isGreaterThanOrEqualTo(3);
            List<JsonNode> after = points(second.api(), id);
            assertThat(after).hasSize(ITERATIONS);
            for (int i = 0; i < ITERATIONS; i++) {
                assertThat(after.get(i).get("iteration").asInt()).isEqualTo(i + 1);
            }
            // resumed, not started over: the history up to the checkpoint is the one written before the kill
            assertThat(after.subList(0, resumed)).isEqualTo(before.subList(0, resumed));
            assertThat(runner.runnerId()).as("the runner attached again").isNotEqualTo(runnerBefore);
        } finally {
            runner.stop();
        }
    }

    private static int resumedFrom(ServiceProcess service, String id) {
        Matcher resumed = Pattern.compile("job " + id + " resumes from iteration (\\d+)").matcher(service.log());
        assertThat(resumed.find()).as("the job resumed").isTrue();
        return Integer.parseInt(resumed.group(1));
    }

    private static List<JsonNode> points(Api api, String id) {
        List<JsonNode> points = new ArrayList<>();
        api.get("/api/jobs/" + id + "/metrics?limit=10000").body().get("points").forEach(points::add);
        return points;
    }
}

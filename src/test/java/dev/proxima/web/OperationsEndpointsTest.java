package dev.proxima.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxima.support.Api;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Health probes open to all, Prometheus metrics for admin keys, and the job id on a job's log lines. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@ExtendWith(OutputCaptureExtension.class)
class OperationsEndpointsTest {

    @LocalServerPort
    int port;

    @Test
    void healthIsOpenAndReadinessCoversTheDatabaseAndTheScheduler() {
        Api anonymous = new Api(port, null);
        Api.Response health = anonymous.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().get("status").asText()).isEqualTo("UP");
        assertThat(anonymous.get("/actuator/health/liveness").body().get("status").asText()).isEqualTo("UP");
        Api.Response readiness = anonymous.get("/actuator/health/readiness");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.body().get("components").fieldNames()).toIterable()
                .contains("db", "dbScheduler", "readinessState");
    }

    @Test
    void prometheusNeedsAnAdminKeyAndShowsJobsTrainingCheckpointsAndAct(CapturedOutput output) throws Exception {
        Api admin = new Api(port);
        String job = admin.post("/api/jobs", """
                {"environment":{"id":"CartPole-v1"},"totalTimesteps":128,"seed":2,
                 "hyperparameters":{"nSteps":64,"batchSize":64,"nEpochs":1}}""").body().get("id").asText();
        admin.awaitJob(job, Api::finished, Duration.ofSeconds(120));
        assertThat(admin.post("/api/policies/" + job + "/act", "{\"observation\":[0,0,0,0]}").status()).isEqualTo(200);
        admin.post("/api/environments/CartPole-v1/sessions", "{}");

        assertThat(admin.withKey(null).get("/actuator/prometheus").status()).isEqualTo(401);
        assertThat(admin.newKey("ops", "act").get("/actuator/prometheus").status()).isEqualTo(403);
        Api.Response scrape = admin.get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        String text = scrape.raw().body();
        assertThat(text).contains("proxima_jobs{status=\"SUCCEEDED\"}",
                "proxima_training_iterations_total{environment=\"CartPole-v1\"} 2.0",
                "proxima_training_env_steps_total{environment=\"CartPole-v1\"} 128.0",
                "proxima_training_iteration_seconds_bucket", "proxima_checkpoint_write_seconds_count",
                "proxima_checkpoint_size_bytes_count", "proxima_act_seconds_bucket", "proxima_sessions_open",
                "proxima_runners_attached", "http_server_requests_seconds");

        // every line the job wrote carries its id, those of its progress thread too
        assertThat(output.getAll().lines().filter(line -> line.contains("job " + job + " starts")))
                .allMatch(line -> line.contains("[job " + job + "]")).isNotEmpty();
        assertThat(output.getAll().lines().filter(line -> line.contains("[job ")).count()).isGreaterThan(1);
        assertThat(output.getAll()).as("lines of no job carry no empty tag").doesNotContain("[job ]");
    }
}

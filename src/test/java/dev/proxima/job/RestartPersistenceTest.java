package dev.proxima.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.ProximaApplication;
import dev.proxima.support.Api;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** A finished job, its metric history and its policy survive a restart of the service on the same database file. */
class RestartPersistenceTest {

    @TempDir
    Path dataDir;

    @Test
    void jobMetricsAndPolicyReadBackAfterRestart() throws Exception {
        String id;
        JsonNode jobBefore;
        JsonNode metricsBefore;
        JsonNode actBefore;
        String observations = "{\"observations\":[[0.01,0.2,-0.03,-0.3],[-0.02,-0.1,0.04,0.5]],\"deterministic\":true}";
        try (ConfigurableApplicationContext first = start()) {
            Api api = api(first);
            id = api.post("/api/jobs", """
                    {"environment":{"id":"CartPole-v1","numEnvs":2},"totalTimesteps":1024,"seed":5,
                     "hyperparameters":{"nSteps":128,"batchSize":64,"nEpochs":2}}""").body().get("id").asText();
            jobBefore = api.awaitJob(id, Api::finished, Duration.ofSeconds(120));
            assertThat(jobBefore.get("status").asText()).isEqualTo("SUCCEEDED");
            metricsBefore = api.get("/api/jobs/" + id + "/metrics").body();
            actBefore = api.post("/api/policies/" + id + "/act", observations).body();
        }
        try (ConfigurableApplicationContext second = start()) {
            Api api = api(second);
            assertThat(api.get("/api/jobs/" + id).body()).isEqualTo(jobBefore);
            JsonNode metricsAfter = api.get("/api/jobs/" + id + "/metrics").body();
            assertThat(metricsAfter.get("points")).hasSize(4);
            assertThat(metricsAfter).isEqualTo(metricsBefore);
            assertThat(api.post("/api/policies/" + id + "/act", observations).body()).isEqualTo(actBefore);
        }
        assertStoredRows();
    }

    @Test
    void aJobRunningAtShutdownGoesBackToTheQueueAndTheNextStartRunsIt() throws Exception {
        String id;
        try (ConfigurableApplicationContext first = start()) {
            Api api = api(first);
            // wide layers and 10 epochs: the job must still be running well after its second
            // iteration shows, and progress reaches the database up to 200 ms late
            id = api.post("/api/jobs", """
                    {"environment":{"id":"CartPole-v1"},"totalTimesteps":7680,"seed":6,
                     "hyperparameters":{"nSteps":64,"batchSize":64,"nEpochs":10,
                                        "network":{"hiddenSizes":[512,512]}}}""").body().get("id").asText();
            JsonNode running = api.awaitJob(id, job -> job.get("iteration").asInt() >= 2, Duration.ofSeconds(60));
            assertThat(running.get("status").asText()).isEqualTo("RUNNING");
        }
        try (ConfigurableApplicationContext second = start()) {
            Api api = api(second);
            JsonNode job = api.awaitJob(id, Api::finished, Duration.ofSeconds(120));
            assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(job.get("timesteps").asLong()).isEqualTo(7680);
            assertThat(job.get("iteration").asInt()).isEqualTo(120);
            JsonNode points = api.get("/api/jobs/" + id + "/metrics").body().get("points");
            assertThat(points).hasSize(120);
            for (int i = 0; i < points.size(); i++) {
                assertThat(points.get(i).get("iteration").asInt()).isEqualTo(i + 1);
            }
            Api.Response act = api.post("/api/policies/" + id + "/act", "{\"observation\":[0,0,0,0]}");
            assertThat(act.status()).isEqualTo(200);
            assertThat(act.body().get("checkpoint").get("iteration").asInt()).isEqualTo(120);
        }
        assertStoredRows();
    }

    /**
     * Checks the database itself once both runs are over: one finished job, whatever the test.
     * Nothing to add on H2's file; the PostgreSQL variant looks at its rows.
     */
    protected void assertStoredRows() {
    }

    /** The Spring profiles of both runs. */
    protected List<String> profiles() {
        return List.of("test");
    }

    /** Arguments that put both runs of the service on the same database. */
    protected List<String> databaseArguments() {
        return List.of("--spring.datasource.url=jdbc:h2:file:" + dataDir.resolve("proxima").toAbsolutePath());
    }

    private ConfigurableApplicationContext start() {
        // arguments, not default properties: they must win over the test profile's in-memory database
        List<String> arguments = new ArrayList<>(List.of("--server.port=0"));
        arguments.addAll(databaseArguments());
        return new SpringApplicationBuilder(ProximaApplication.class)
                .profiles(profiles().toArray(String[]::new))
                .run(arguments.toArray(String[]::new));
    }

    static Api api(ConfigurableApplicationContext context) {
        return new Api(((WebServerApplicationContext) context).getWebServer().getPort());
    }
}

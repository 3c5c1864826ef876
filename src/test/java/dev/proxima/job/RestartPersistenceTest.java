package dev.proxima.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.ProximaApplication;
import dev.proxima.support.Api;
import java.nio.file.Path;
import java.time.Duration;
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
        String url = "jdbc:h2:file:" + dataDir.resolve("proxima").toAbsolutePath();
        String id;
        JsonNode jobBefore;
        JsonNode metricsBefore;
        JsonNode actBefore;
        String observations = "{\"observations\":[[0.01,0.2,-0.03,-0.3],[-0.02,-0.1,0.04,0.5]],\"deterministic\":true}";
        try (ConfigurableApplicationContext first = start(url)) {
            Api api = api(first);
            id = api.post("/api/jobs", """
                    {"environment":{"id":"CartPole-v1","numEnvs":2},"totalTimesteps":1024,"seed":5,
                     "hyperparameters":{"nSteps":128,"batchSize":64,"nEpochs":2}}""").body().get("id").asText();
            jobBefore = api.awaitJob(id, Api::finished, Duration.ofSeconds(120));
            assertThat(jobBefore.get("status").asText()).isEqualTo("SUCCEEDED");
            metricsBefore = api.get("/api/jobs/" + id + "/metrics").body();
            actBefore = api.post("/api/policies/" + id + "/act", observations).body();
        }
        try (ConfigurableApplicationContext second = start(url)) {
            Api api = api(second);
            assertThat(api.get("/api/jobs/" + id).body()).isEqualTo(jobBefore);
            JsonNode metricsAfter = api.get("/api/jobs/" + id + "/metrics").body();
            assertThat(metricsAfter.get("points")).hasSize(4);
            assertThat(metricsAfter).isEqualTo(metricsBefore);
            assertThat(api.post("/api/policies/" + id + "/act", observations).body()).isEqualTo(actBefore);
        }
    }

    private static ConfigurableApplicationContext start(String url) {
        return new SpringApplicationBuilder(ProximaApplication.class)
                .profiles("test")
                // arguments, not default properties: they must win over the test profile's in-memory database
                .run("--server.port=0", "--spring.datasource.url=" + url);
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(((WebServerApplicationContext) context).getWebServer().getPort());
    }
}

package dev.proxima.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proxima.Secrets;
import dev.proxima.ppo.Policy;
import dev.proxima.support.Api;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A checkpoint taken away: the archive as stored, with a manifest that says how to use it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CheckpointDownloadApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Test
    void aDownloadHoldsTheStoredArchiveAndAManifest() throws Exception {
        Api alice = new Api(port).newKey("alice", "train");
        String job = alice.post("/api/jobs", """
                {"name":"pendulum run","environment":{"id":"Pendulum-v1"},"totalTimesteps":256,"seed":3,
                 "hyperparameters":{"nSteps":128,"batchSize":64,"nEpochs":1,"normalizeObservations":true}}""")
                .body().get("id").asText();
        alice.awaitJob(job, Api::finished, Duration.ofSeconds(120));
        int iteration = alice.get("/api/jobs/" + job + "/checkpoints").body().get("checkpoints").get(0)
                .get("iteration").asInt();

        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + port + "/api/jobs/" + job + "/checkpoints/" + iteration + "/download"))
                .header("Authorization", "Bearer " + alice.key())
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("application/zip");
        assertThat(response.headers().firstValue("Content-Disposition").orElseThrow())
                .contains("attachment", "pendulum_run-iteration-" + iteration + ".zip");

        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(response.body()))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        }
        assertThat(entries).containsOnlyKeys("manifest.json", "policy.zip");
        JsonNode manifest = JSON.readTree(entries.get("manifest.json"));
        byte[] archive = entries.get("policy.zip");
        assertThat(manifest.get("format").asText()).isEqualTo("proxima-checkpoint/1");
        assertThat(manifest.get("iteration").asInt()).isEqualTo(iteration);
        assertThat(manifest.get("owner").asText()).isEqualTo("alice");
        assertThat(manifest.at("/policyArchive/sha256").asText()).isEqualTo(Secrets.hash(archive));
        assertThat(manifest.at("/observationSpace/shape/0").asInt()).isEqualTo(3);
        assertThat(manifest.at("/actionSpace/type").asText()).isEqualTo("box");
        assertThat(manifest.at("/actionSpace/low/0").asDouble()).isEqualTo(-2.0);
        assertThat(manifest.at("/actionPostprocessing/kind").asText()).isEqualTo("clip");
        assertThat(manifest.at("/observationNormalization/mean")).hasSize(3);
        assertThat(manifest.at("/observationNormalization/count").asDouble()).isPositive();
        assertThat(manifest.at("/hyperparameters/nSteps").asInt()).isEqualTo(128);
        assertThat(manifest.at("/versions/deeplearning4j").asText()).isEqualTo("1.0.0-M2.1");
        assertThat(manifest.at("/versions/proxima").asText()).isNotEqualTo("unknown");

        // the archive is the one /act serves: the same deterministic action for an observation
        Policy policy = Policy.forServing(archive);
        double[] taken = policy.act(new double[][] {{0.5, -0.3, 1.2}}, null, true, new java.util.Random(1));
        Api.Response acted = alice.post("/api/policies/" + job + "/act?checkpoint=" + iteration,
                "{\"observation\":[0.5,-0.3,1.2],\"deterministic\":true}");
        assertThat(acted.body().get("action").get(0).asDouble()).isCloseTo(taken[0],
                org.assertj.core.data.Offset.offset(1e-6));

        Api bob = new Api(port).newKey("bob", "train");
        assertThat(bob.get("/api/jobs/" + job + "/checkpoints/" + iteration + "/download").status()).isEqualTo(404);
        Api.Response missing = alice.get("/api/jobs/" + job + "/checkpoints/999999/download");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
    }
}

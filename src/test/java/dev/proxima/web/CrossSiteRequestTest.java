package dev.proxima.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proxima.support.Api;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What probing found: a cross-site form POST ({@code Origin: http://evil.example}, a form body)
 * to /cancel cancelled the job. The requests another site's page can send without a preflight
 * (form bodies, and bodiless fetches or beacons marked by Origin or Sec-Fetch-Site) are refused
 * before anything runs, and the job trains on.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CrossSiteRequestTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Long enough to stay queued or running until cancelled. */
    private static final String LONG_JOB = """
            {"environment":{"id":"CartPole-v1"},"totalTimesteps":1000000,"seed":3,
             "hyperparameters":{"nSteps":16384,"batchSize":4096,"nEpochs":1}}""";

    @LocalServerPort
    int port;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "text/plain;charset=UTF-8"})
    void aFormCannotCancelAJob(String formType) throws Exception {
        Api api = new Api(port);
        String id = api.post("/api/jobs", LONG_JOB).body().get("id").asText();
        try {
            for (String path : new String[] {"/api/jobs/" + id + "/cancel", "/api/jobs"}) {
                HttpResponse<String> forged = HTTP.send(HttpRequest.newBuilder(
                                URI.create("http://localhost:" + port + path))
                        .header("Origin", "http://evil.example").header("Content-Type", formType)
                        .header("Authorization", "Bearer " + Api.ADMIN_KEY)
                        .POST(HttpRequest.BodyPublishers.ofString("a=1")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(forged.statusCode()).isEqualTo(415);
                assertThat(forged.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
                assertThat(JSON.readTree(forged.body()).get("detail").asText()).contains("an HTML form cannot call it");
            }
            // a bodiless POST from another site's page (fetch with mode no-cors, a beacon) is refused too
            for (String[] headers : new String[][] {{"Origin", "http://evil.example"},
                    {"Sec-Fetch-Site", "cross-site"}}) {
                HttpResponse<String> beacon = HTTP.send(HttpRequest.newBuilder(
                                URI.create("http://localhost:" + port + "/api/jobs/" + id + "/cancel"))
                        .header(headers[0], headers[1]).header("Authorization", "Bearer " + Api.ADMIN_KEY)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(beacon.statusCode()).as(headers[0]).isEqualTo(403);
                assertThat(beacon.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            }
            // a cancel reaches a running job within a second: after two, it still trains
            Thread.sleep(2000);
            assertThat(api.get("/api/jobs/" + id).body().get("status").asText()).isIn("QUEUED", "RUNNING");
        } finally {
            // a JSON cancel from a client that is not a browser, or from the service's own page, still works
            HttpResponse<String> sameOrigin = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/api/jobs/" + id + "/cancel"))
                    .header("Origin", "http://localhost:" + port).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + Api.ADMIN_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(sameOrigin.statusCode()).isEqualTo(200);
            api.awaitJob(id, Api::finished, Duration.ofSeconds(60));
        }
    }
}

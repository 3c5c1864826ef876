package dev.proxima.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proxima.support.Api;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** GET /api/jobs/{id}/events: metric points and status changes live, resumable with Last-Event-ID. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JobEventsApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    private record Event(String name, String id, JsonNode data) {
    }

    @Test
    void aStreamFollowsAJobToItsEndAndResumesAfterTheLastEventId() throws Exception {
        Api alice = new Api(port).newKey("alice", "train");
        String job = alice.post("/api/jobs", """
                {"environment":{"id":"CartPole-v1"},"totalTimesteps":1536,"seed":7,
                 "hyperparameters":{"nSteps":256,"batchSize":64,"nEpochs":2}}""").body().get("id").asText();

        HttpResponse<Stream<String>> response = open(alice, job, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        List<Event> events = read(response);
        List<Integer> iterations = events.stream().filter(e -> e.name().equals("metric"))
                .map(e -> Integer.parseInt(e.id())).toList();
        assertThat(iterations).containsExactly(1, 2, 3, 4, 5, 6);
        Event metric = events.stream().filter(e -> e.name().equals("metric")).findFirst().orElseThrow();
        assertThat(metric.data().get("timesteps").asLong()).isEqualTo(256);
        assertThat(metric.data().get("metrics").has("train/value_loss")).isTrue();
        assertThat(events.get(0).name()).as("the status comes first").isIn("status", "metric");
        Event last = events.get(events.size() - 1);
        assertThat(last.name()).isEqualTo("status");
        assertThat(last.data().get("status").asText()).isEqualTo("SUCCEEDED");

        List<Event> resumed = read(open(alice, job, "4"));
        assertThat(resumed.stream().filter(e -> e.name().equals("metric")).map(Event::id))
                .containsExactly("5", "6");

        assertThat(new Api(port).newKey("bob", "train").get("/api/jobs/" + job + "/events").status()).isEqualTo(404);
        assertThat(alice.withKey(null).get("/api/jobs/" + job + "/events").status()).isEqualTo(401);
    }

    private HttpResponse<Stream<String>> open(Api api, String job, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/jobs/" + job
                + "/events")).timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + api.key())
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofLines());
    }

    /** The events until the stream ends (after the job's final status). */
    private static List<Event> read(HttpResponse<Stream<String>> response) throws Exception {
        List<Event> events = new ArrayList<>();
        String name = null;
        String id = null;
        StringBuilder data = new StringBuilder();
        for (String line : (Iterable<String>) response.body()::iterator) {
            if (line.isEmpty()) {
                if (name != null) {
                    events.add(new Event(name, id, JSON.readTree(data.toString())));
                }
                name = null;
                id = null;
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("id:")) {
                id = line.substring(3).strip();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).strip());
            }
        }
        return events;
    }

}

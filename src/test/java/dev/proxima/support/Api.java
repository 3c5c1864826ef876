package dev.proxima.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A plain HTTP client for the tests: what an outside client sees, status codes and JSON. It sends
 * an API key (the test profile's bootstrap admin key unless told another, or none) on every
 * request that does not bring its own Authorization header.
 */
public final class Api {

    /** The bootstrap admin key of the test profile (application-test.properties) and of ServiceProcess. */
    public static final String ADMIN_KEY = "test-admin-key-0123456789";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final HttpClient http = HTTP;
    private final String base;
    private final String key;

    public Api(int port) {
        this(port, ADMIN_KEY);
    }

    /** @param key the API key to send, or null for none */
    public Api(int port, String key) {
        this("http://localhost:" + port, key);
    }

    private Api(String base, String key) {
        this.base = base;
        this.key = key;
    }

    /** The API key this client sends, or null. */
    public String key() {
        return key;
    }

    /** The same service, with another API key (null: none). */
    public Api withKey(String otherKey) {
        return new Api(base, otherKey);
    }

    /** Creates an API key with the admin key and returns a client that sends it. */
    public Api newKey(String owner, String... scopes) {
        Response created = withKey(ADMIN_KEY).post("/api/keys", Map.of("owner", owner, "scopes", List.of(scopes)));
        if (created.status() != 201) {
            throw new AssertionError("could not create a key: " + created.status() + " " + created.body());
        }
        return withKey(created.body().get("key").asText());
    }

    /** Any request, with its own headers. */
    public Response send(String method, String path, String json, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        return send(request);
    }

    public record Response(int status, JsonNode body, HttpResponse<String> raw) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    /** A DELETE with extra request headers. */
    public Response delete(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).DELETE();
        headers.forEach(request::header);
        return send(request);
    }

    public Response post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A POST with extra request headers. */
    public Response post(String path, String json, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        return send(request);
    }

    public Response post(String path, Object body) {
        try {
            return post(path, JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls a job until the predicate holds on its body or the timeout passes. */
    public JsonNode awaitJob(String id, Predicate<JsonNode> condition, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode job = get("/api/jobs/" + id).body();
        while (!condition.test(job)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("job did not reach the expected state in " + timeout + ": " + job);
            }
            Thread.sleep(200);
            job = get("/api/jobs/" + id).body();
        }
        return job;
    }

    public static boolean finished(JsonNode job) {
        String status = job.path("status").asText();
        return status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED");
    }

    private Response send(HttpRequest.Builder builder) {
        HttpRequest request = builder.timeout(Duration.ofSeconds(30)).build();
        if (key != null && request.headers().firstValue("Authorization").isEmpty()) {
            request = HttpRequest.newBuilder(request, (name, value) -> true)
                    .header("Authorization", "Bearer " + key).build();
        }
        try {
            HttpResponse<String> response = http.send(request,
                    HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            boolean json = response.headers().firstValue("Content-Type").orElse("").contains("json");
            JsonNode body = !json || text == null || text.isBlank() ? null : JSON.readTree(text);
            return new Response(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

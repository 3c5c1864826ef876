package dev.proxima.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proxima.support.Api;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Random requests from the OpenAPI document: bodies built from each operation's schema, then
 * broken (a wrong type, a null, a huge or non-finite number, a long string, deep nesting, a
 * missing brace, bytes that are not UTF-8), path and query parameters valid and not. Never a 500,
 * never an HTML page; the job, metrics and checkpoints written before read back unchanged after.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"proxima.jobs.max-queued=4", "proxima.quotas.sessions-per-owner=64"})
class ApiFuzzTest {

    /** Fixed, so that CI is repeatable; -Dproxima.fuzz.seed=N explores other requests. */
    private static final long SEED = Long.getLong("proxima.fuzz.seed", 20261203L);
    private static final int REQUESTS_PER_OPERATION = 50;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @LocalServerPort
    int port;

    private JsonNode document;
    private final Random random = new Random(SEED);

    @Test
    void randomRequestsNeverBreakTheServiceOrItsData() throws Exception {
        Api api = new Api(port);
        String job = api.post("/api/jobs", """
                {"environment":{"id":"CartPole-v1"},"totalTimesteps":128,"seed":4,
                 "hyperparameters":{"nSteps":64,"batchSize":64,"nEpochs":1}}""").body().get("id").asText();
        api.awaitJob(job, Api::finished, Duration.ofSeconds(120));
        String session = api.post("/api/environments/CartPole-v1/sessions", "{\"seed\":1}").body()
                .get("sessionId").asText();
        JsonNode jobBefore = api.get("/api/jobs/" + job).body();
        JsonNode metricsBefore = api.get("/api/jobs/" + job + "/metrics").body();
        JsonNode checkpointsBefore = api.get("/api/jobs/" + job + "/checkpoints").body();
        JsonNode actBefore = api.post("/api/policies/" + job + "/act",
                "{\"observation\":[0.01,0,0.02,0],\"deterministic\":true}").body();

        document = api.withKey(null).get("/v3/api-docs").body();
        SoftAssertions softly = new SoftAssertions();
        int sent = 0;
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase();
                for (int i = 0; i < REQUESTS_PER_OPERATION; i++) {
                    String uri = uri(path.getKey(), op.getValue(), job, session, method);
                    byte[] body = body(op.getValue());
                    HttpResponse<String> response = send(method, uri, body);
                    sent++;
                    statuses.merge(response.statusCode(), 1, Integer::sum);
                    String what = "seed " + SEED + ": " + method + " " + uri + " with " + preview(body) + " -> " + response.statusCode()
                            + " " + preview(response.body().getBytes(StandardCharsets.UTF_8));
                    softly.assertThat(response.statusCode()).as(what).isBetween(200, 499);
                    String type = response.headers().firstValue("Content-Type").orElse("");
                    softly.assertThat(type).as(what).doesNotContain("html");
                    if (response.statusCode() >= 400) {
                        softly.assertThat(type).as(what).startsWith("application/problem+json");
                    }
                    cancelIfCreated(api, method, path.getKey(), response);
                }
            }
        }
        softly.assertAll();
        assertThat(sent).isGreaterThan(1000);
        // the fuzzing reached the handlers, not only the parsers: answers of every kind came back
        assertThat(statuses).as("answers by status").containsKeys(200, 201, 400, 401, 404, 409, 422);

        assertThat(api.get("/api/jobs/" + job).body()).isEqualTo(jobBefore);
        assertThat(api.get("/api/jobs/" + job + "/metrics").body()).isEqualTo(metricsBefore);
        assertThat(api.get("/api/jobs/" + job + "/checkpoints").body()).isEqualTo(checkpointsBefore);
        assertThat(api.post("/api/policies/" + job + "/act",
                "{\"observation\":[0.01,0,0.02,0],\"deterministic\":true}").body()).isEqualTo(actBefore);
    }

    /** A job the fuzzing created by chance does not stay to train. */
    private static void cancelIfCreated(Api api, String method, String template, HttpResponse<String> response)
            throws Exception {
        if (method.equals("POST") && template.equals("/api/jobs") && response.statusCode() / 100 == 2) {
            api.post("/api/jobs/" + JSON.readTree(response.body()).get("id").asText() + "/cancel", "");
        }
    }

    private HttpResponse<String> send(String method, String uri, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + uri))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + Api.ADMIN_KEY);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The path with its parameters: usually the fixture's job and session (so the fuzzing reaches
     * them), else random ids and junk; a DELETE never gets the fixture's. Query parameters from
     * the document, valid or not.
     */
    private String uri(String template, JsonNode operation, String job, String session, String method) {
        boolean fixture = !method.equals("DELETE") && random.nextInt(3) > 0;
        String path = template
                .replace("{id}", template.startsWith("/api/keys") ? junkId() : fixture ? job : junkId())
                .replace("{jobId}", fixture ? job : junkId())
                .replace("{sessionId}", fixture ? session : junkId())
                .replace("{runnerId}", junkId())
                .replace("{iteration}", random.nextBoolean() ? "1" : junkId())
                .replace("{envId}", random.nextBoolean() ? "CartPole-v1" : junkId());
        List<String> query = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
            if (parameter.path("in").asText().equals("query") && random.nextBoolean()) {
                query.add(parameter.get("name").asText() + "=" + encode(scalarText(parameter.path("schema"))));
            }
        }
        return query.isEmpty() ? path : path + "?" + String.join("&", query);
    }

    private String junkId() {
        return switch (random.nextInt(6)) {
            case 0 -> java.util.UUID.randomUUID().toString();
            case 1 -> "not-a-uuid";
            case 2 -> "%2F..%2F";
            case 3 -> "00000000-0000-0000-0000-000000000000";
            case 4 -> "x".repeat(300);
            default -> Integer.toString(random.nextInt());
        };
    }

    private String scalarText(JsonNode schema) {
        JsonNode value = random.nextInt(4) == 0 ? nasty() : valueOf(schema, 0);
        return value.isTextual() ? value.asText() : value.toString();
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** The operation's body: none, a valid-looking one, one with a broken part, or bytes that are not JSON. */
    private byte[] body(JsonNode operation) {
        JsonNode schema = operation.path("requestBody").path("content").path("application/json").path("schema");
        if (schema.isMissingNode() && random.nextInt(4) > 0) {
            return null;
        }
        int kind = random.nextInt(10);
        if (kind == 0) {
            return new byte[] {'{', '"', 'a', '"', ':', (byte) 0xC3, (byte) 0x28, '}'}; // not UTF-8
        }
        if (kind == 1) {
            String text = valueOf(schema, 0).toString();
            return text.substring(0, text.length() / 2).getBytes(StandardCharsets.UTF_8); // cut off
        }
        if (kind == 2) {
            return ("[".repeat(3000) + "]".repeat(3000)).getBytes(StandardCharsets.UTF_8);
        }
        JsonNode value = valueOf(schema, 0);
        if (kind > 3) {
            value = mutate(value);
        }
        return value.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A value that fits the schema, random within it. */
    private JsonNode valueOf(JsonNode schema, int depth) {
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asText().replace("#/components/schemas/", "");
            return valueOf(document.path("components").path("schemas").path(name), depth + 1);
        }
        if (depth > 8) {
            return NODES.nullNode();
        }
        for (String choice : new String[] {"oneOf", "anyOf", "allOf"}) {
            if (schema.has(choice)) {
                JsonNode options = schema.get(choice);
                return valueOf(options.get(random.nextInt(options.size())), depth + 1);
            }
        }
        if (schema.has("enum")) {
            JsonNode values = schema.get("enum");
            return values.get(random.nextInt(values.size()));
        }
        String type = schema.path("type").asText(schema.has("properties") ? "object" : "");
        return switch (type) {
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                schema.path("properties").fields().forEachRemaining(property -> {
                    if (random.nextInt(3) > 0) {
                        object.set(property.getKey(), valueOf(property.getValue(), depth + 1));
                    }
                });
                yield object;
            }
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                int size = random.nextInt(5);
                for (int i = 0; i < size; i++) {
                    array.add(valueOf(schema.path("items"), depth + 1));
                }
                yield array;
            }
            case "integer" -> NODES.numberNode(switch (random.nextInt(4)) {
                case 0 -> 0L;
                case 1 -> 1L + random.nextInt(64);
                case 2 -> (long) random.nextInt(100_000);
                default -> -1L;
            });
            case "number" -> NODES.numberNode(random.nextInt(3) == 0 ? random.nextGaussian() * 1e6 : random.nextDouble());
            case "boolean" -> NODES.booleanNode(random.nextBoolean());
            case "string" -> NODES.textNode(schema.has("format") && schema.get("format").asText().equals("uuid")
                    ? java.util.UUID.randomUUID().toString() : "s" + random.nextInt(1000));
            default -> random.nextBoolean() ? NODES.numberNode(random.nextInt(3)) : NODES.textNode("v");
        };
    }

    /** The value with one part replaced by something no schema allows. */
    private JsonNode mutate(JsonNode value) {
        if (value.isObject() && value.size() > 0 && random.nextInt(4) > 0) {
            ObjectNode copy = ((ObjectNode) value).deepCopy();
            List<String> names = new ArrayList<>();
            copy.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            copy.set(name, mutate(copy.get(name)));
            return copy;
        }
        if (value.isArray() && value.size() > 0 && random.nextInt(4) > 0) {
            ArrayNode copy = ((ArrayNode) value).deepCopy();
            int index = random.nextInt(copy.size());
            copy.set(index, mutate(copy.get(index)));
            return copy;
        }
        if (value.isObject() && random.nextInt(5) == 0) {
            ObjectNode copy = ((ObjectNode) value).deepCopy();
            copy.set("unknownField" + random.nextInt(10), nasty());
            return copy;
        }
        return nasty();
    }

    private JsonNode nasty() {
        return switch (random.nextInt(16)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.textNode("");
            case 2 -> NODES.textNode("x".repeat(100_000));
            case 3 -> NODES.numberNode(1e308);
            case 4 -> NODES.numberNode(-1e308);
            case 5 -> NODES.numberNode(new java.math.BigInteger("99999999999999999999999999"));
            case 6 -> NODES.numberNode(1.5);
            case 7 -> NODES.numberNode(-1);
            case 8 -> NODES.booleanNode(true);
            case 9 -> NODES.arrayNode();
            case 10 -> NODES.objectNode();
            case 11 -> NODES.textNode("NaN");
            case 12 -> NODES.textNode("\u0000\ud83d\ude00\u202e");
            case 13 -> {
                ArrayNode big = NODES.arrayNode();
                for (int i = 0; i < 20_000; i++) {
                    big.add(i);
                }
                yield big;
            }
            case 14 -> NODES.numberNode(Long.MAX_VALUE);
            default -> NODES.textNode("1000");
        };
    }

    private static String preview(byte[] bytes) {
        if (bytes == null) {
            return "no body";
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}

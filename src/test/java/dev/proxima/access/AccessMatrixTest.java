package dev.proxima.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.support.Api;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every operation of the OpenAPI document, called by no key, a revoked key, owner A (train),
 * owner B (train), A's act-only key and an admin, on owner A's resources. The test walks the
 * document, so an endpoint added later is in the matrix without anyone listing it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "proxima.quotas.sessions-per-owner=64")
class AccessMatrixTest {

    private static final String QUICK_JOB = """
            {"environment":{"id":"CartPole-v1"},"totalTimesteps":64,"seed":1,
             "hyperparameters":{"nSteps":64,"batchSize":64,"nEpochs":1}}""";
    private static final String LONG_JOB = """
            {"environment":{"id":"CartPole-v1"},"totalTimesteps":10000000,"seed":1}""";
    private static final Set<Integer> REFUSED = Set.of(401, 403, 404);

    @LocalServerPort
    int port;

    private Api admin;
    private Api alice;
    private String aliceJob;
    private String aliceSession;

    @BeforeEach
    void aliceHasAFinishedJobAndASession() throws InterruptedException {
        admin = new Api(port);
        alice = admin.newKey("alice", "train");
        aliceJob = alice.post("/api/jobs", QUICK_JOB).body().get("id").asText();
        alice.awaitJob(aliceJob, Api::finished, Duration.ofSeconds(120));
        aliceSession = alice.post("/api/environments/CartPole-v1/sessions", "{}").body().get("sessionId").asText();
    }

    /** Who calls, and what they may do on owner A's resources. */
    private enum Role {
        NO_KEY, REVOKED_KEY, OWNER, OTHER_OWNER, ACT_ONLY, ADMIN
    }

    @Test
    void everyOperationAnswersEachCallerAsItsKeyAllows() throws Exception {
        Map<Role, Api> callers = new LinkedHashMap<>();
        callers.put(Role.NO_KEY, admin.withKey(null));
        JsonNode revoked = admin.post("/api/keys", Map.of("owner", "alice", "scopes", List.of("train", "act"))).body();
        assertThat(admin.delete("/api/keys/" + revoked.get("id").asText()).status()).isEqualTo(204);
        callers.put(Role.REVOKED_KEY, admin.withKey(revoked.get("key").asText()));
        callers.put(Role.OWNER, alice);
        callers.put(Role.OTHER_OWNER, admin.newKey("bob", "train"));
        callers.put(Role.ACT_ONLY, admin.newKey("alice", "act"));
        callers.put(Role.ADMIN, admin);

        JsonNode document = admin.withKey(null).get("/v3/api-docs").body();
        List<String[]> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> operations.add(new String[] {method, path.getKey()}));
        }
        assertThat(operations).as("the document's operations").hasSizeGreaterThanOrEqualTo(18);

        SoftAssertions softly = new SoftAssertions();
        for (String[] operation : operations) {
            String method = operation[0].toUpperCase();
            String template = operation[1];
            for (Map.Entry<Role, Api> caller : callers.entrySet()) {
                String path = concrete(method, template);
                Api.Response response = caller.getValue().send(method, path, body(method, template), Map.of());
                String what = caller.getKey() + " " + method + " " + path;
                softly.assertThat(response.status()).as(what + ": never a 500").isLessThan(500);
                softly.assertThat(response.header("Content-Type")).as(what + ": JSON (a download a zip, events a stream)")
                        .satisfiesAnyOf(type -> assertThat(type).isNull(), type -> assertThat(type).contains("json"),
                                type -> assertThat(type).isEqualTo("application/zip"),
                                type -> assertThat(type).startsWith("text/event-stream"));
                int expected = expected(caller.getKey(), method, template);
                if (expected == 0) {
                    softly.assertThat(response.status()).as(what + " is allowed: " + response.body())
                            .isNotIn(REFUSED);
                } else {
                    softly.assertThat(response.status()).as(what + ": " + response.body()).isEqualTo(expected);
                }
                if (expected == 401 && !template.contains("/runners")) {
                    softly.assertThat(response.header("WWW-Authenticate")).as(what).startsWith("Bearer");
                }
            }
        }
        softly.assertAll();
        // what other owners tried left A's resources as they were
        assertThat(alice.get("/api/jobs/" + aliceJob).status()).isEqualTo(200);
        assertThat(alice.post("/api/sessions/" + aliceSession + "/reset", "{}").status()).isEqualTo(200);
    }

    /**
     * The status a caller must get, or 0 for "allowed" (anything but 401, 403 and 404). The runner
     * protocol takes its job's runner token, never an API key: 401 for everyone here.
     */
    private static int expected(Role role, String method, String template) {
        if (template.contains("/runners")) {
            return 401;
        }
        boolean keys = template.startsWith("/api/keys");
        boolean act = template.endsWith("/act");
        boolean ofAlice = !template.startsWith("/api/environments/")
                && (template.contains("{id}") || template.contains("{jobId}") || template.contains("{sessionId}"));
        return switch (role) {
            case NO_KEY, REVOKED_KEY -> 401;
            case ADMIN -> 0;
            case OWNER -> keys ? 403 : 0;
            case ACT_ONLY -> act ? 0 : 403;
            case OTHER_OWNER -> keys ? 403 : ofAlice ? 404 : 0;
        };
    }

    /**
     * The template with A's resources; a DELETE gets a fresh one of A's each time (a finished job,
     * a session, a key), so that an allowed delete does not take the next caller's resource away.
     */
    private String concrete(String method, String template) throws InterruptedException {
        boolean delete = method.equals("DELETE");
        Supplier<String> job = () -> delete ? cancelledJob() : aliceJob;
        Supplier<String> session = () -> delete
                ? alice.post("/api/environments/CartPole-v1/sessions", "{}").body().get("sessionId").asText()
                : aliceSession;
        // A's finished job has the checkpoint of its one iteration
        String path = template.replace("{envId}", "CartPole-v1").replace("{runnerId}", UUID.randomUUID().toString())
                .replace("{iteration}", "1");
        if (path.startsWith("/api/environments/")) {
            path = path.replace("{id}", "CartPole-v1");
        }
        if (path.startsWith("/api/keys/")) {
            return path.replace("{id}", admin.post("/api/keys", Map.of("owner", "carol", "scopes", List.of("act")))
                    .body().get("id").asText());
        }
        if (path.contains("{sessionId}")) {
            path = path.replace("{sessionId}", session.get());
        }
        if (path.contains("{id}") || path.contains("{jobId}")) {
            String id = job.get();
            path = path.replace("{id}", id).replace("{jobId}", id);
        }
        return path;
    }

    private String cancelledJob() {
        String id = alice.post("/api/jobs", LONG_JOB).body().get("id").asText();
        alice.post("/api/jobs/" + id + "/cancel", "");
        try {
            alice.awaitJob(id, Api::finished, Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return id;
    }

    /** A body an allowed caller's request can carry without starting work: valid where it is cheap, else refused as a 4xx. */
    private static String body(String method, String template) {
        if (!method.equals("POST") && !method.equals("PUT") && !method.equals("PATCH")) {
            return null;
        }
        if (template.endsWith("/act")) {
            return "{\"observation\":[0,0,0,0]}";
        }
        if (template.endsWith("/step")) {
            return template.contains("/runners") ? "{\"sequence\":0,\"observations\":[[0,0,0,0]]}" : "{\"action\":0}";
        }
        if (template.endsWith("/runners")) {
            return "{\"numEnvs\":1}";
        }
        if (template.equals("/api/keys")) {
            return "{\"owner\":\"dave\",\"scopes\":[\"act\"]}";
        }
        return "{}";
    }

    @Test
    void listsHoldOnlyTheCallersOwnUnlessAnAdminAsks() {
        Api bob = admin.newKey("bob", "train");
        String bobJob = bob.post("/api/jobs", LONG_JOB).body().get("id").asText();
        bob.post("/api/jobs/" + bobJob + "/cancel", "");
        String bobSession = bob.post("/api/environments/CartPole-v1/sessions", "{}").body().get("sessionId").asText();

        assertThat(ids(bob.get("/api/jobs?size=200").body().get("content"), "id")).contains(bobJob)
                .doesNotContain(aliceJob);
        assertThat(ids(bob.get("/api/jobs?owner=alice").body().get("content"), "id")).isEmpty();
        assertThat(ids(alice.get("/api/jobs?size=200").body().get("content"), "id")).contains(aliceJob)
                .doesNotContain(bobJob);
        assertThat(ids(bob.get("/api/sessions").body().get("sessions"), "sessionId")).containsExactly(bobSession);

        JsonNode all = admin.get("/api/jobs?size=200").body().get("content");
        assertThat(ids(all, "id")).contains(aliceJob, bobJob);
        JsonNode alicesOnly = admin.get("/api/jobs?owner=alice&size=200").body().get("content");
        assertThat(ids(alicesOnly, "id")).contains(aliceJob).doesNotContain(bobJob);
        alicesOnly.forEach(job -> assertThat(job.get("owner").asText()).isEqualTo("alice"));
        assertThat(ids(admin.get("/api/sessions").body().get("sessions"), "sessionId")).contains(aliceSession, bobSession);
    }

    @Test
    void anIdempotencyKeyIsEachOwnersOwn() {
        Api bob = admin.newKey("bob", "train");
        String key = "shared-" + UUID.randomUUID();
        Api.Response first = alice.post("/api/jobs", LONG_JOB, Map.of("Idempotency-Key", key));
        Api.Response second = bob.post("/api/jobs", LONG_JOB.replace("\"seed\":1", "\"seed\":2"),
                Map.of("Idempotency-Key", key));
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).as("another owner's key tells nothing of A's job").isEqualTo(201);
        assertThat(second.body().get("id").asText()).isNotEqualTo(first.body().get("id").asText());
        alice.post("/api/jobs/" + first.body().get("id").asText() + "/cancel", "");
        bob.post("/api/jobs/" + second.body().get("id").asText() + "/cancel", "");
    }

    @Test
    void keysAreShownOnceStoredHashedAndRevokedAtOnce() {
        Api.Response created = admin.post("/api/keys", Map.of("owner", "erin", "scopes", List.of("train", "act")));
        assertThat(created.status()).isEqualTo(201);
        String secret = created.body().get("key").asText();
        String id = created.body().get("id").asText();
        assertThat(created.header("Location")).isEqualTo("/api/keys/" + id);
        assertThat(created.body().get("scopes")).hasSize(2);
        Api erin = admin.withKey(secret);
        assertThat(erin.get("/api/jobs").status()).isEqualTo(200);

        JsonNode listed = admin.get("/api/keys").body().get("keys");
        JsonNode erinsKey = null;
        for (JsonNode key : listed) {
            assertThat(key.has("key")).as("a listing holds no secret").isFalse();
            if (key.get("id").asText().equals(id)) {
                erinsKey = key;
            }
        }
        assertThat(erinsKey).isNotNull();
        assertThat(erinsKey.get("owner").asText()).isEqualTo("erin");
        assertThat(erinsKey.has("revokedAt")).isFalse();

        assertThat(admin.delete("/api/keys/" + id).status()).isEqualTo(204);
        Api.Response afterRevoke = erin.get("/api/jobs");
        assertThat(afterRevoke.status()).isEqualTo(401);
        assertThat(afterRevoke.body().get("detail").asText()).contains("revoked");
        assertThat(admin.delete("/api/keys/" + UUID.randomUUID()).status()).isEqualTo(404);

        Api.Response badScope = admin.post("/api/keys", Map.of("owner", "erin", "scopes", List.of("train", "root")));
        assertThat(badScope.status()).isEqualTo(422);
        assertThat(badScope.body().get("field").asText()).isEqualTo("scopes[1]");
        Api.Response badOwner = admin.post("/api/keys", Map.of("owner", "a b", "scopes", List.of("train")));
        assertThat(badOwner.status()).isEqualTo(422);
        assertThat(badOwner.body().get("field").asText()).isEqualTo("owner");
        assertThat(admin.post("/api/keys", "{\"owner\":\"erin\",\"scopes\":\"train\"}").status()).isEqualTo(400);
        Api.Response malformedHeader = admin.send("GET", "/api/jobs", null, Map.of("Authorization", "Basic YTpi"));
        assertThat(malformedHeader.status()).isEqualTo(401);
    }

    private static List<String> ids(JsonNode items, String field) {
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.get(field).asText()));
        return ids;
    }
}

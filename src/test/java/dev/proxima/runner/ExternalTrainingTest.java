package dev.proxima.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proxima.client.ProximaRunner;
import dev.proxima.support.Api;
import dev.proxima.support.Simulations;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Training on an external environment through the runner protocol, with {@link ProximaRunner}
 * stepping Proxima's own CartPole: one runner, two runners, and a runner that dies. The rounds are
 * synchronous and the runners seed their copies as the service suggests, so an external job is
 * the built-in job step for step: the same metrics, iteration by iteration.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"proxima.runners.poll=1s", "proxima.runners.lease=3s", "proxima.runners.abandon-after=8s"})
class ExternalTrainingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROLLOUT = 8 * 32;
    private static final Map<String, Object> ZOO = Map.of("learningRate", 0.001, "learningRateSchedule", "linear",
            "nSteps", 32, "batchSize", 256, "nEpochs", 20, "gamma", 0.98, "gaeLambda", 0.8,
            "clipRangeSchedule", "linear");
    /** Wall-clock metrics, the only ones that differ between two runs of one seed. */
    private static final List<String> CLOCKS = List.of("time/fps", "time/time_elapsed");

    @LocalServerPort
    int port;

    private Map<String, Object> job(JsonNode environment, int iterations, long seed) {
        return Map.of("environment", environment, "totalTimesteps", iterations * ROLLOUT, "seed", seed,
                "hyperparameters", ZOO, "checkpointEvery", 5);
    }

    private JsonNode builtIn() {
        return builtIn("CartPole-v1");
    }

    private JsonNode builtIn(String id) {
        return JSON.valueToTree(Map.of("id", id, "numEnvs", 8));
    }

    private JsonNode external(Api api) {
        return external(api, "CartPole-v1", false);
    }

    /** A built-in environment as an external one: its spaces as GET /api/environments shows them. */
    private JsonNode external(Api api, String id, boolean masks) {
        JsonNode spec = api.get("/api/environments/" + id).body();
        ObjectNode spaces = JSON.createObjectNode();
        spaces.set("observationSpace", strip(spec.get("observationSpace")));
        spaces.set("actionSpace", strip(spec.get("actionSpace")));
        spaces.put("actionMasks", masks);
        ObjectNode environment = JSON.createObjectNode();
        environment.set("external", spaces);
        environment.put("numEnvs", 8);
        return environment;
    }

    private static JsonNode strip(JsonNode space) {
        ObjectNode copy = space.deepCopy();
        List<String> nulls = new ArrayList<>();
        copy.fieldNames().forEachRemaining(name -> {
            if (copy.get(name).isNull()) {
                nulls.add(name);
            }
        });
        copy.remove(nulls);
        return copy;
    }

    private record Submitted(String id, String token) {
    }

    private Submitted submit(Api api, Map<String, Object> job) {
        Api.Response created = api.post("/api/jobs", job);
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        return new Submitted(created.body().get("id").asText(), created.body().path("runnerToken").asText(null));
    }

    private ProximaRunner runner(Submitted job, int copies) {
        return runner(job, copies, "CartPole-v1");
    }

    private ProximaRunner runner(Submitted job, int copies, String id) {
        return new ProximaRunner(URI.create("http://localhost:" + port), UUID.fromString(job.id()), job.token(), copies,
                copy -> Simulations.of(id), Duration.ofSeconds(30));
    }

    private static CompletableFuture<Void> inBackground(ProximaRunner runner) {
        return CompletableFuture.runAsync(() -> {
            try {
                runner.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Runs the runner until the job ends; the job's body, which must say SUCCEEDED. */
    private static JsonNode runToEnd(Api api, Submitted job, ProximaRunner runner) throws Exception {
        CompletableFuture<Void> running = inBackground(runner);
        JsonNode done = api.awaitJob(job.id(), Api::finished, Duration.ofMinutes(3));
        running.get(30, TimeUnit.SECONDS);
        assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
        return done;
    }

    private static List<JsonNode> points(Api api, String id) {
        List<JsonNode> points = new ArrayList<>();
        api.get("/api/jobs/" + id + "/metrics?limit=10000").body().get("points").forEach(points::add);
        return points;
    }

    /** Iteration numbers 1..n and, per iteration, the same metrics as the reference run (clocks aside). */
    private static void assertSameRun(List<JsonNode> actual, List<JsonNode> reference, int iterations) {
        assertThat(actual).hasSize(iterations);
        for (int i = 0; i < iterations; i++) {
            assertThat(actual.get(i).get("iteration").asInt()).isEqualTo(i + 1);
            ObjectNode got = actual.get(i).get("metrics").deepCopy();
            ObjectNode want = reference.get(i).get("metrics").deepCopy();
            got.remove(CLOCKS);
            want.remove(CLOCKS);
            assertThat(got).as("iteration %d", i + 1).isEqualTo(want);
        }
    }

    @Test
    void aJavaRunnerTrainsCartPoleOverHttpStepForStepAsTheBuiltInJob() throws Exception {
        Api api = new Api(port);
        int iterations = 40;
        Submitted reference = submit(api, job(builtIn(), iterations, 11));
        Submitted job = submit(api, job(external(api), iterations, 11));
        assertThat(job.token()).isNotNull();
        try (ProximaRunner runner = runner(job, 8)) {
            assertThat(runToEnd(api, job, runner).get("timesteps").asLong()).isEqualTo(iterations * ROLLOUT);
        }
        api.awaitJob(reference.id(), Api::finished, Duration.ofMinutes(3));
        List<JsonNode> points = points(api, job.id());
        assertSameRun(points, points(api, reference.id()), iterations);
        // and it learned (87 on seed 11 at these 10k steps): random play balances CartPole for 22 steps,
        // give or take 1.2 as a mean of 100 episodes
        assertThat(points.get(iterations - 1).get("metrics").get("rollout/ep_rew_mean").asDouble()).isGreaterThan(40);

        Api.Response act = api.post("/api/policies/" + job.id() + "/act",
                "{\"observation\":[0.01,0.02,-0.03,0.04],\"deterministic\":true}");
        assertThat(act.status()).isEqualTo(200);
        assertThat(act.body().get("action").asInt()).isBetween(0, 1);
    }

    @Test
    void twoRunnersShareOneJobAsOneVectorOfCopies() throws Exception {
        Api api = new Api(port);
        int iterations = 12;
        Submitted reference = submit(api, job(builtIn(), iterations, 23));
        Submitted job = submit(api, job(external(api), iterations, 23));
        try (ProximaRunner three = runner(job, 3); ProximaRunner five = runner(job, 5)) {
            CompletableFuture<Void> first = inBackground(three);
            api.awaitJob(job.id(), body -> body.get("attachedEnvs").asInt() == 3, Duration.ofSeconds(30));
            CompletableFuture<Void> second = inBackground(five);
            JsonNode running = api.awaitJob(job.id(), body -> body.get("iteration").asInt() >= 1 || Api.finished(body),
                    Duration.ofMinutes(1));
            assertThat(running.get("attachedEnvs").asInt()).isIn(0, 8);
            JsonNode done = api.awaitJob(job.id(), Api::finished, Duration.ofMinutes(2));
            CompletableFuture.allOf(first, second).get(30, TimeUnit.SECONDS);
            assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
        }
        api.awaitJob(reference.id(), Api::finished, Duration.ofMinutes(2));
        // copies 0-2 on one runner and 3-7 on the other, each seeded by its slot: the built-in run again
        assertSameRun(points(api, job.id()), points(api, reference.id()), iterations);
    }

    @Test
    void aRunnerThatStopsCallingLosesItsLeaseAndAnotherRunnerFinishesTheJob() throws Exception {
        Api api = new Api(port);
        int iterations = 16;
        Submitted job = submit(api, job(external(api), iterations, 31));
        ProximaRunner dying = runner(job, 8);
        CompletableFuture<Void> first = inBackground(dying);
        api.awaitJob(job.id(), body -> body.get("iteration").asInt() >= 4, Duration.ofMinutes(1));
        dying.stop();
        first.get(30, TimeUnit.SECONDS);
        // it never detached: it stays attached until its lease (3 s) lapses, and the job waits
        JsonNode stalled = api.get("/api/jobs/" + job.id()).body();
        assertThat(stalled.get("status").asText()).isEqualTo("RUNNING");
        JsonNode lapsed = api.awaitJob(job.id(), body -> body.get("attachedEnvs").asInt() == 0, Duration.ofSeconds(20));
        assertThat(lapsed.get("status").asText()).isEqualTo("RUNNING");
        int stalledAt = lapsed.get("iteration").asInt();

        try (ProximaRunner next = runner(job, 8)) {
            CompletableFuture<Void> second = inBackground(next);
            JsonNode done = api.awaitJob(job.id(), Api::finished, Duration.ofMinutes(2));
            second.get(30, TimeUnit.SECONDS);
            assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(done.get("timesteps").asLong()).isEqualTo(iterations * ROLLOUT);
        }
        List<JsonNode> points = points(api, job.id());
        assertThat(points).hasSize(iterations);
        for (int i = 0; i < iterations; i++) {
            assertThat(points.get(i).get("iteration").asInt()).isEqualTo(i + 1);
        }
        assertThat(stalledAt).isBetween(4, iterations - 1);
    }

    /** Box actions (sampled unclipped, clipped for the environment), masked MultiDiscrete actions and hybrid actions. */
    @ParameterizedTest
    @CsvSource({"Pendulum-v1, false", "DiagonalMaze-v0, true", "Moving-v0, false"})
    void boxMaskedMultiDiscreteAndHybridActionsTrainAsTheBuiltInJobs(String environment, boolean masks) throws Exception {
        Api api = new Api(port);
        int iterations = 4;
        Map<String, Object> hyperparameters = Map.of("nSteps", 32, "batchSize", 64, "nEpochs", 2);
        Submitted reference = submit(api, Map.of("environment", builtIn(environment), "totalTimesteps",
                iterations * ROLLOUT, "seed", 3, "hyperparameters", hyperparameters));
        Submitted job = submit(api, Map.of("environment", external(api, environment, masks), "totalTimesteps",
                iterations * ROLLOUT, "seed", 3, "hyperparameters", hyperparameters));
        try (ProximaRunner runner = runner(job, 8, environment)) {
            runToEnd(api, job, runner);
        }
        api.awaitJob(reference.id(), Api::finished, Duration.ofMinutes(2));
        assertSameRun(points(api, job.id()), points(api, reference.id()), iterations);
    }
}

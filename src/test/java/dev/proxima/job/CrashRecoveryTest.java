package dev.proxima.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.support.Api;
import dev.proxima.support.ServiceProcess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as a real process on its default H2 file database (./data under its working
 * directory), killed as a crash (kill -9) or stopped as a deployment does (SIGTERM) in the middle
 * of training, then started again: the job finishes from its last checkpoint with a contiguous
 * metric history, and nothing the API reported before the kill up to that checkpoint is lost.
 */
class CrashRecoveryTest {

    private static final int ROLLOUT = 8 * 32;
    private static final int ITERATIONS = 120;

    @TempDir
    Path directory;

    private static List<String> arguments() {
        return List.of("--proxima.jobs.checkpoint-interval=1s", "--db-scheduler.heartbeat-interval=1s",
                "--db-scheduler.polling-interval=500ms", "--db-scheduler.shutdown-max-wait=30s");
    }

    private static String submitCartPole(Api api, Integer checkpointEvery) {
        Map<String, Object> job = new java.util.HashMap<>(Map.of(
                "environment", Map.of("id", "CartPole-v1", "numEnvs", 8),
                "totalTimesteps", ITERATIONS * ROLLOUT, "seed", 42,
                "hyperparameters", Map.of("learningRate", 0.001, "learningRateSchedule", "linear", "nSteps", 32,
                        "batchSize", 256, "nEpochs", 20, "gamma", 0.98, "gaeLambda", 0.8,
                        "clipRangeSchedule", "linear")));
        if (checkpointEvery != null) {
            job.put("checkpointEvery", checkpointEvery);
        }
        Api.Response created = api.post("/api/jobs", job);
        assertThat(created.status()).isEqualTo(201);
        return created.body().get("id").asText();
    }

    @Test
    void aJobKilledMidTrainingResumesFromItsLastCheckpointAndFinishes() throws Exception {
        String id;
        List<JsonNode> before;
        int checkpointed;
        try (ServiceProcess first = ServiceProcess.start(directory, "first", arguments())) {
            id = submitCartPole(first.api(), null);
            first.api().awaitJob(id, job -> job.path("iteration").asInt() >= 40, Duration.ofMinutes(3));
            checkpointed = servedCheckpoint(first.api(), id);
            before = points(first.api(), id);
            first.kill();
        }
        assertThat(checkpointed).isGreaterThan(0);

        try (ServiceProcess second = ServiceProcess.start(directory, "second", arguments())) {
            JsonNode job = second.api().awaitJob(id, Api::finished, Duration.ofMinutes(4));
            assertFinishedItsBudget(job);
            List<JsonNode> after = points(second.api(), id);
            assertContiguous(after, ITERATIONS);
            // resumed, not started over: the history up to the checkpoint is the one written before the crash
            assertThat(after.subList(0, checkpointed)).isEqualTo(before.subList(0, checkpointed));
            assertThat(resumedFrom(second, id)).isGreaterThanOrEqualTo(checkpointed);
        }
    }

    /**
     * kill -9 the moment GET /checkpoints lists a new checkpoint: that checkpoint, and every
     * metric row the API listed up to it, are what the next start resumes from.
     */
    @Test
    void aKillRightAfterACheckpointIsListedLosesNothingTheApiReported() throws Exception {
        String id;
        int listed = 0;
        List<JsonNode> before;
        try (ServiceProcess first = ServiceProcess.start(directory, "first", arguments())) {
            id = submitCartPole(first.api(), 5);
            Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
            while (listed < 20) {
                assertThat(Instant.now()).as("a checkpoint after iteration 20 within 3 minutes").isBefore(deadline);
                JsonNode checkpoints = first.api().get("/api/jobs/" + id + "/checkpoints").body().get("checkpoints");
                for (JsonNode checkpoint : checkpoints) {
                    listed = Math.max(listed, checkpoint.get("iteration").asInt());
                }
                Thread.sleep(5);
            }
            before = points(first.api(), id);
            first.kill();
        }
        assertThat(before).hasSizeGreaterThanOrEqualTo(listed);

        try (ServiceProcess second = ServiceProcess.start(directory, "second", arguments())) {
            JsonNode job = second.api().awaitJob(id, Api::finished, Duration.ofMinutes(4));
            assertFinishedItsBudget(job);
            assertThat(resumedFrom(second, id)).isGreaterThanOrEqualTo(listed);
            List<JsonNode> after = points(second.api(), id);
            assertContiguous(after, ITERATIONS);
            assertThat(after.subList(0, listed)).isEqualTo(before.subList(0, listed));
        }
    }

    @Test
    void sigtermCheckpointsAndRequeuesARunningJobWhichTheNextStartResumes() throws Exception {
        String id;
        try (ServiceProcess first = ServiceProcess.start(directory, "first", arguments())) {
            id = submitCartPole(first.api(), null);
            first.api().awaitJob(id, job -> job.path("iteration").asInt() >= 40, Duration.ofMinutes(3));
            assertThat(first.terminate(Duration.ofSeconds(60))).as("stopped within 60 s").isTrue();
        }
        int lastMetric;
        int lastCheckpoint;
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + directory.resolve("data/proxima"), "sa", "")) {
            assertThat(query(db, "select status from training_job where id = '" + id + "'")).isEqualTo("QUEUED");
            lastMetric = ((Number) query(db, "select max(iteration) from metric_point")).intValue();
            lastCheckpoint = ((Number) query(db, "select max(iteration) from policy_checkpoint")).intValue();
        }
        assertThat(lastCheckpoint).as("checkpointed at the last iteration it trained").isEqualTo(lastMetric);

        try (ServiceProcess second = ServiceProcess.start(directory, "second", arguments())) {
            JsonNode job = second.api().awaitJob(id, Api::finished, Duration.ofMinutes(4));
            assertFinishedItsBudget(job);
            assertContiguous(points(second.api(), id), ITERATIONS);
            assertThat(resumedFrom(second, id)).isEqualTo(lastCheckpoint);
        }
    }

    private static void assertFinishedItsBudget(JsonNode job) {
        assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(job.get("stopReason").asText()).isEqualTo("TOTAL_TIMESTEPS");
        assertThat(job.get("timesteps").asLong()).isEqualTo((long) ITERATIONS * ROLLOUT);
    }

    /** The iteration the log says the job resumed from. */
    private static int resumedFrom(ServiceProcess service, String id) {
        Matcher resumed = Pattern.compile("job " + id + " resumes from iteration (\\d+)").matcher(service.log());
        assertThat(resumed.find()).as("the job resumed").isTrue();
        return Integer.parseInt(resumed.group(1));
    }

    private static int servedCheckpoint(Api api, String id) {
        Api.Response act = api.post("/api/policies/" + id + "/act",
                Map.of("observation", List.of(0.0, 0.0, 0.0, 0.0)));
        assertThat(act.status()).isEqualTo(200);
        return act.body().get("checkpoint").get("iteration").asInt();
    }

    private static List<JsonNode> points(Api api, String id) {
        List<JsonNode> points = new ArrayList<>();
        api.get("/api/jobs/" + id + "/metrics?afterIteration=0&limit=1000").body().get("points").forEach(points::add);
        return points;
    }

    /** Iterations 1..last, each once, each with its own rollout's timesteps. */
    private static void assertContiguous(List<JsonNode> points, int last) {
        assertThat(points).hasSize(last);
        for (int i = 0; i < points.size(); i++) {
            assertThat(points.get(i).get("iteration").asInt()).isEqualTo(i + 1);
            assertThat(points.get(i).get("timesteps").asLong()).isEqualTo((long) (i + 1) * ROLLOUT);
        }
    }

    private static Object query(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getObject(1);
        }
    }
}

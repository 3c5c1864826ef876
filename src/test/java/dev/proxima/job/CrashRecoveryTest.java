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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as a real process on an H2 file database, killed as a crash (kill -9) or stopped
 * as a deployment does (SIGTERM) in the middle of training, then started again: the job finishes
 * from its last checkpoint with a contiguous metric history and the return it was after.
 */
class CrashRecoveryTest {

    private static final int ROLLOUT = 8 * 32;

    @TempDir
    Path directory;

    private List<String> arguments() {
        return List.of("--spring.datasource.url=jdbc:h2:file:" + directory.resolve("proxima") + ";DB_CLOSE_ON_EXIT=FALSE",
                "--proxima.jobs.checkpoint-interval=1s", "--db-scheduler.heartbeat-interval=1s",
                "--db-scheduler.polling-interval=500ms", "--db-scheduler.shutdown-max-wait=30s");
    }

    private static String submitCartPole(Api api) {
        Api.Response created = api.post("/api/jobs", Map.of(
                "environment", Map.of("id", "CartPole-v1", "numEnvs", 8),
                "totalTimesteps", 100_000, "seed", 42,
                "hyperparameters", Map.of("learningRate", 0.001, "learningRateSchedule", "linear", "nSteps", 32,
                        "batchSize", 256, "nEpochs", 20, "gamma", 0.98, "gaeLambda", 0.8,
                        "clipRangeSchedule", "linear"),
                "stopWhen", Map.of("episodeReturnMean", 475)));
        assertThat(created.status()).isEqualTo(201);
        return created.body().get("id").asText();
    }

    @Test
    void aJobKilledMidTrainingResumesFromItsLastCheckpointAndFinishes() throws Exception {
        String id;
        List<JsonNode> before;
        int checkpointed;
        try (ServiceProcess first = ServiceProcess.start(directory, "first", arguments())) {
            id = submitCartPole(first.api());
            first.api().awaitJob(id, job -> job.path("iteration").asInt() >= 100, Duration.ofMinutes(3));
            checkpointed = servedCheckpoint(first.api(), id);
            before = points(first.api(), id);
            first.kill();
        }
        assertThat(checkpointed).isGreaterThan(0);

        try (ServiceProcess second = ServiceProcess.start(directory, "second", arguments())) {
            JsonNode job = second.api().awaitJob(id, Api::finished, Duration.ofMinutes(4));
            assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(job.get("episodeReturnMean").asDouble()).isGreaterThanOrEqualTo(475);
            List<JsonNode> after = points(second.api(), id);
            assertContiguous(after, job.get("iteration").asInt());
            // resumed, not started over: the history up to the checkpoint is the one written before the crash
            for (int i = 0; i < checkpointed; i++) {
                assertThat(after.get(i)).isEqualTo(before.get(i));
            }
            assertThat(second.log()).contains("job " + id + " resumes from iteration");
        }
    }

    @Test
    void sigtermCheckpointsAndRequeuesARunningJobWhichTheNextStartResumes() throws Exception {
        String id;
        try (ServiceProcess first = ServiceProcess.start(directory, "first", arguments())) {
            id = submitCartPole(first.api());
            first.api().awaitJob(id, job -> job.path("iteration").asInt() >= 60, Duration.ofMinutes(3));
            assertThat(first.terminate(Duration.ofSeconds(60))).as("stopped within 60 s").isTrue();
        }
        int lastMetric;
        int lastCheckpoint;
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + directory.resolve("proxima"), "sa", "")) {
            assertThat(query(db, "select status from training_job where id = '" + id + "'")).isEqualTo("QUEUED");
            lastMetric = ((Number) query(db, "select max(iteration) from metric_point")).intValue();
            lastCheckpoint = ((Number) query(db, "select max(iteration) from policy_checkpoint")).intValue();
        }
        assertThat(lastCheckpoint).as("checkpointed at the last iteration it trained").isEqualTo(lastMetric);

        try (ServiceProcess second = ServiceProcess.start(directory, "second", arguments())) {
            JsonNode job = second.api().awaitJob(id, Api::finished, Duration.ofMinutes(4));
            assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(job.get("episodeReturnMean").asDouble()).isGreaterThanOrEqualTo(475);
            assertContiguous(points(second.api(), id), job.get("iteration").asInt());
            assertThat(second.log()).contains("job " + id + " resumes from iteration " + lastCheckpoint);
        }
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

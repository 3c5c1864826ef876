package dev.proxima.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.support.Api;
import dev.proxima.support.Postgres;
import dev.proxima.support.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two service processes on one PostgreSQL database share the queue: every job runs once, on one
 * of them, and when the instance running a job dies the other one resumes it.
 */
class TwoInstancesTest {

    @TempDir
    Path directory;

    private static List<String> arguments(Postgres.Database database) {
        List<String> arguments = new ArrayList<>(database.springArguments());
        arguments.addAll(List.of("--spring.profiles.active=postgres", "--proxima.jobs.checkpoint-interval=1s",
                "--db-scheduler.heartbeat-interval=1s", "--db-scheduler.polling-interval=500ms"));
        return arguments;
    }

    private static String submit(Api api, int totalTimesteps, long seed) {
        Api.Response created = api.post("/api/jobs", Map.of(
                "environment", Map.of("id", "CartPole-v1", "numEnvs", 8),
                "totalTimesteps", totalTimesteps, "seed", seed,
                "hyperparameters", Map.of("learningRate", 0.001, "nSteps", 32, "batchSize", 256, "nEpochs", 20,
                        "gamma", 0.98, "gaeLambda", 0.8)));
        assertThat(created.status()).isEqualTo(201);
        return created.body().get("id").asText();
    }

    @Test
    void queuedJobsAreSharedAndEachRunsOnce() throws Exception {
        try (Postgres.Database database = Postgres.createDatabase();
                ServiceProcess a = ServiceProcess.start(directory, "a", arguments(database));
                ServiceProcess b = ServiceProcess.start(directory, "b", arguments(database))) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ids.add(submit(i % 2 == 0 ? a.api() : b.api(), 5_120, i));
            }
            for (String id : ids) {
                JsonNode job = a.api().awaitJob(id, Api::finished, Duration.ofMinutes(3));
                assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
                assertThat(job.get("iteration").asInt()).isEqualTo(20);
            }
            String logs = a.log() + b.log();
            for (String id : ids) {
                assertThat(count(logs, "job " + id + " starts")).as("runs of job %s", id).isEqualTo(1);
            }
            // the queue was shared: with one job at a time per instance, both trained
            assertThat(a.log()).contains(" starts: CartPole-v1");
            assertThat(b.log()).contains(" starts: CartPole-v1");
        }
    }

    @Test
    void whenTheInstanceRunningAJobDiesTheOtherResumesIt() throws Exception {
        try (Postgres.Database database = Postgres.createDatabase();
                ServiceProcess a = ServiceProcess.start(directory, "a", arguments(database));
                ServiceProcess b = ServiceProcess.start(directory, "b", arguments(database))) {
            String id = submit(a.api(), 60_000, 7);
            a.api().awaitJob(id, job -> job.path("iteration").asInt() >= 40, Duration.ofMinutes(3));
            ServiceProcess running = a.log().contains("job " + id + " starts") ? a : b;
            ServiceProcess survivor = running == a ? b : a;
            running.kill();

            JsonNode job = survivor.api().awaitJob(id, Api::finished, Duration.ofMinutes(4));
            assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(job.get("timesteps").asLong()).isGreaterThanOrEqualTo(60_000);
            assertThat(survivor.log()).contains("job " + id + " resumes from iteration");
            JsonNode points = survivor.api().get("/api/jobs/" + id + "/metrics?afterIteration=0&limit=1000").body()
                    .get("points");
            assertThat(points.size()).isEqualTo(job.get("iteration").asInt());
            for (int i = 0; i < points.size(); i++) {
                assertThat(points.get(i).get("iteration").asInt()).isEqualTo(i + 1);
            }
        }
    }

    private static int count(String text, String fragment) {
        Matcher matcher = Pattern.compile(Pattern.quote(fragment)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}

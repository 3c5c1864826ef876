package dev.proxima.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.support.Api;
import dev.proxima.support.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service under mixed load on loopback, for a bounded time: 16 clients calling /act while 2
 * jobs train and another client submits and cancels jobs. No request fails, training goes on,
 * and the service's resident memory stays bounded. Prints its figures (docs/BENCHMARKS.md).
 */
class LoopbackLoadTest {

    private static final Duration LOAD = Duration.ofSeconds(20);
    private static final int ACT_CLIENTS = 16;
    /** -Xmx1g plus the native side (DL4J's buffers, OpenBLAS, the JIT): far below what one request once took (11 GB). */
    private static final double MAX_RESIDENT_MIB = 2048;
    private static final String TRAINING = """
            {"environment":{"id":"CartPole-v1","numEnvs":8},"totalTimesteps":100000000,"seed":%d}""";

    @TempDir
    Path directory;

    @Test
    void actCallsTrainingAndSubmissionsTogetherStayCorrectAndBounded() throws Exception {
        Files.createDirectories(directory.resolve("data"));
        try (ServiceProcess service = ServiceProcess.start(directory, "load", List.of(
                "--spring.datasource.url=jdbc:h2:file:" + directory.resolve("data/proxima").toAbsolutePath(),
                "--proxima.jobs.max-concurrent=2", "--proxima.quotas.active-jobs-per-owner=20"))) {
            Api admin = service.api();
            Api trainer = admin.newKey("trainer", "train");
            String served = trainer.post("/api/jobs", """
                    {"environment":{"id":"CartPole-v1"},"totalTimesteps":256,"seed":1,
                     "hyperparameters":{"nSteps":128,"batchSize":64,"nEpochs":2}}""").body().get("id").asText();
            assertThat(trainer.awaitJob(served, Api::finished, Duration.ofSeconds(120)).get("status").asText())
                    .isEqualTo("SUCCEEDED");
            List<String> training = new ArrayList<>();
            for (int seed = 1; seed <= 2; seed++) {
                training.add(trainer.post("/api/jobs", TRAINING.formatted(seed)).body().get("id").asText());
            }
            for (String id : training) {
                trainer.awaitJob(id, job -> job.get("iteration").asInt() >= 1, Duration.ofSeconds(120));
            }
            long[] timestepsBefore = timesteps(trainer, training);
            Api actor = admin.newKey("trainer", "act");

            double residentBefore = service.residentMebibytes();
            AtomicBoolean running = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            ExecutorService clients = Executors.newFixedThreadPool(ACT_CLIENTS + 1);
            List<Future<Integer>> calls = new ArrayList<>();
            for (int c = 0; c < ACT_CLIENTS; c++) {
                calls.add(clients.submit(() -> {
                    int n = 0;
                    while (running.get()) {
                        long start = System.nanoTime();
                        Api.Response act = actor.post("/api/policies/" + served + "/act",
                                "{\"observation\":[0.01,-0.02,0.03,0.0]}");
                        latencies.add(System.nanoTime() - start);
                        if (act.status() != 200) {
                            failures.add("act " + act.status() + " " + act.body());
                        }
                        n++;
                    }
                    return n;
                }));
            }
            Future<Integer> submissions = clients.submit(() -> {
                int n = 0;
                while (running.get()) {
                    Api.Response submitted = trainer.post("/api/jobs", TRAINING.formatted(100 + n));
                    if (submitted.status() != 201) {
                        failures.add("submit " + submitted.status() + " " + submitted.body());
                        continue;
                    }
                    Api.Response cancelled = trainer.post("/api/jobs/" + submitted.body().get("id").asText()
                            + "/cancel", "");
                    if (cancelled.status() != 200) {
                        failures.add("cancel " + cancelled.status() + " " + cancelled.body());
                    }
                    n++;
                    Thread.sleep(100);
                }
                return n;
            });
            List<Double> resident = new ArrayList<>();
            long end = System.nanoTime() + LOAD.toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(1000);
                resident.add(service.residentMebibytes());
            }
            running.set(false);
            int actCalls = 0;
            for (Future<Integer> call : calls) {
                actCalls += call.get(60, TimeUnit.SECONDS);
            }
            int submitted = submissions.get(60, TimeUnit.SECONDS);
            clients.shutdown();
            long[] timestepsAfter = timesteps(trainer, training);

            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            double maxResident = resident.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            System.out.printf(Locale.ROOT, "LOAD %d s: /act %d calls by %d clients, %.0f/s, p50 %.2f ms, p99 %.2f ms; "
                            + "%d jobs submitted and cancelled; 2 jobs trained %d and %d steps; resident memory "
                            + "%.0f MiB before, %.0f MiB at most, %.0f MiB at the end%n",
                    LOAD.toSeconds(), actCalls, ACT_CLIENTS, actCalls / (double) LOAD.toSeconds(),
                    percentile(sorted, 0.50), percentile(sorted, 0.99), submitted,
                    timestepsAfter[0] - timestepsBefore[0], timestepsAfter[1] - timestepsBefore[1],
                    residentBefore, maxResident, resident.get(resident.size() - 1));

            assertThat(failures).as("failed requests").isEmpty();
            assertThat(actCalls).isGreaterThan(1000);
            assertThat(submitted).isGreaterThan(10);
            for (int j = 0; j < 2; j++) {
                assertThat(timestepsAfter[j]).as("job %d trained on under load", j).isGreaterThan(timestepsBefore[j]);
            }
            assertThat(maxResident).as("resident memory, MiB").isLessThan(MAX_RESIDENT_MIB);
            for (String id : training) {
                trainer.post("/api/jobs/" + id + "/cancel", "");
            }
        }
    }

    private static long[] timesteps(Api api, List<String> jobs) {
        long[] timesteps = new long[jobs.size()];
        for (int j = 0; j < jobs.size(); j++) {
            JsonNode job = api.get("/api/jobs/" + jobs.get(j)).body();
            assertThat(job.get("status").asText()).isEqualTo("RUNNING");
            timesteps[j] = job.get("timesteps").asLong();
        }
        return timesteps;
    }

    private static double percentile(List<Long> sortedNanos, double quantile) {
        int index = (int) Math.min(sortedNanos.size() - 1, Math.floor(quantile * sortedNanos.size()));
        return sortedNanos.get(index) / 1e6;
    }
}

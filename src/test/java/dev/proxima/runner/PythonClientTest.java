package dev.proxima.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.support.Api;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import dev.proxima.support.LearningSeeds;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The Python client (clients/python) against this service: its own tests, and Gymnasium's
 * CartPole-v1 trained through {@code python -m proxima_client train}. Needs PROXIMA_PYTHON, a
 * Python with the client installed, as .ci/run makes it; without one it is skipped, except under
 * CI=true, where it fails.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"proxima.runners.poll=1s", "proxima.runners.lease=3s", "proxima.runners.abandon-after=8s"})
class PythonClientTest {

    private static final String PYTHON = System.getenv("PROXIMA_PYTHON");
    private static final Path CLIENT = Path.of("clients", "python");

    @LocalServerPort
    int port;

    @BeforeAll
    static void needsPython() {
        if (System.getenv("CI") != null) {
            assertThat(PYTHON).as("PROXIMA_PYTHON (set by .ci/run)").isNotBlank();
        }
        assumeThat(PYTHON).as("PROXIMA_PYTHON, a Python with clients/python installed").isNotBlank();
    }

    private record Run(int exitCode, String output) {
    }

    private static Run python(Path directory, long timeoutSeconds, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().put("PROXIMA_API_KEY", Api.ADMIN_KEY);
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(timeoutSeconds, TimeUnit.SECONDS)).as("finished in time").isTrue();
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    @Test
    void theClientsOwnTestsPass() throws Exception {
        Run run = python(CLIENT, 300, "-m", "pytest", "-q", "-p", "no:cacheprovider");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("passed");
    }

    static LongStream seeds() {
        return LearningSeeds.orDefault(42);
    }

    /** The bar of the built-in CartPole learning tests: 200, against a random policy's 22. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @Tag("learning")
    void gymnasiumCartPoleTrainsThroughTheClient(long seed) throws Exception {
        Run run = python(Path.of("."), 600, "-m", "proxima_client", "train", "--url", "http://localhost:" + port,
                "--env", "CartPole-v1", "--num-envs", "8", "--total-timesteps", "100000", "--seed", Long.toString(seed),
                "--stop-at-return", "475", "--hyperparameters", "{\"learningRate\":0.001,\"learningRateSchedule\":"
                        + "\"linear\",\"nSteps\":32,\"batchSize\":256,\"nEpochs\":20,\"gamma\":0.98,\"gaeLambda\":0.8,"
                        + "\"clipRangeSchedule\":\"linear\"}");
        assertThat(run.exitCode()).as(run.output()).isZero();
        Matcher id = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").matcher(run.output());
        assertThat(id.find()).as(run.output()).isTrue();
        JsonNode job = new Api(port).get("/api/jobs/" + id.group()).body();
        assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(job.get("environment").has("external")).isTrue();
        System.out.printf("Gymnasium CartPole through the client seed %d: ep_rew_mean %.1f after %d steps%n", seed,
                job.get("episodeReturnMean").asDouble(), job.get("timesteps").asLong());
        assertThat(job.get("episodeReturnMean").asDouble()).isGreaterThanOrEqualTo(200);
    }
}

package dev.proxima.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.env.Environment;
import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.env.StepResult;
import dev.proxima.support.Api;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import dev.proxima.support.LearningSeeds;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The acceptance run, through HTTP only: rl-zoo's seeded CartPole job succeeds with
 * ep_rew_mean >= 475 within 100k steps, and its policy, asked through /act, balances for 20
 * deterministic episodes averaging >= 475.
 */
@Tag("learning")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CartPoleJobEndToEndTest {

    static LongStream seeds() {
        return LearningSeeds.orDefault(2);
    }

    static final String ZOO_CARTPOLE_JOB = """
            {"name":"cartpole","environment":{"id":"CartPole-v1","numEnvs":8},"totalTimesteps":100000,
             "seed":%d,"hyperparameters":{"learningRate":0.001,"learningRateSchedule":"linear",
             "nSteps":32,"batchSize":256,"nEpochs":20,"gamma":0.98,"gaeLambda":0.8,"clipRange":0.2,
             "clipRangeSchedule":"linear","entCoef":0.0,"vfCoef":0.5,"maxGradNorm":0.5,
             "normalizeAdvantage":true,"network":{"hiddenSizes":[64,64],"activation":"tanh"}},
             "stopWhen":{"episodeReturnMean":475}}""";

    @LocalServerPort
    int port;

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void zooCartPoleJobSucceedsAndItsPolicyBalances(long seed) throws Exception {
        Api api = new Api(port);
        Api.Response submitted = api.post("/api/jobs", ZOO_CARTPOLE_JOB.formatted(seed));
        assertThat(submitted.status()).isEqualTo(201);
        String id = submitted.body().get("id").asText();
        assertThat(submitted.header("Location")).isEqualTo("/api/jobs/" + id);
        assertThat(submitted.body().get("status").asText()).isIn("QUEUED", "RUNNING");

        JsonNode job = api.awaitJob(id, Api::finished, Duration.ofMinutes(5));
        System.out.printf("service CartPole seed %d: %s at %d steps, ep_rew_mean %.1f%n", seed,
                job.get("stopReason").asText(), job.get("timesteps").asLong(), job.get("episodeReturnMean").asDouble());
        assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(job.get("stopReason").asText()).isEqualTo("EPISODE_RETURN_MEAN");
        assertThat(job.get("episodeReturnMean").asDouble()).isGreaterThanOrEqualTo(475.0);
        assertThat(job.get("timesteps").asLong()).isLessThanOrEqualTo(100_000);
        assertThat(job.get("finishedAt").isTextual()).isTrue();

        JsonNode points = api.get("/api/jobs/" + id + "/metrics?afterIteration=0&limit=10000").body().get("points");
        assertThat(points.size()).isEqualTo(job.get("iteration").asInt());
        JsonNode last = points.get(points.size() - 1);
        assertThat(last.get("metrics").get("rollout/ep_rew_mean").asDouble()).isGreaterThanOrEqualTo(475.0);
        for (String metric : List.of("rollout/ep_rew_mean", "rollout/ep_len_mean", "train/policy_gradient_loss",
                "train/value_loss", "train/entropy_loss", "train/approx_kl", "train/clip_fraction",
                "train/clip_range", "train/explained_variance", "train/learning_rate", "time/fps",
                "time/total_timesteps")) {
            assertThat(last.get("metrics").has(metric)).as(metric).isTrue();
        }

        double meanReturn = deterministicReturn(api, id, 20);
        assertThat(meanReturn).isGreaterThanOrEqualTo(475.0);
    }

    /** Mean return of {@code episodes} seeded CartPole episodes driven by /act. */
    private static double deterministicReturn(Api api, String jobId, int episodes) {
        Environment env = new EnvironmentRegistry().create("CartPole-v1");
        double total = 0;
        for (int episode = 0; episode < episodes; episode++) {
            double[] observation = env.reset(10_000 + episode);
            boolean done = false;
            while (!done) {
                Api.Response act = api.post("/api/policies/" + jobId + "/act",
                        Map.of("observation", observation, "deterministic", true));
                assertThat(act.status()).isEqualTo(200);
                StepResult step = env.step(new double[] {act.body().get("action").asInt()});
                total += step.reward();
                observation = step.observation();
                done = step.done();
            }
        }
        return total / episodes;
    }
}

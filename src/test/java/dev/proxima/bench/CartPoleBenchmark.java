package dev.proxima.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.ProximaApplication;
import dev.proxima.env.Environment;
import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.ppo.model.ActorCritic;
import dev.proxima.ppo.IterationReport;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.ppo.PpoTrainer;
import dev.proxima.support.Api;
import dev.proxima.ppo.config.Schedule;
import dev.proxima.vecenv.SyncVecEnv;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The CartPole benchmark of docs/BENCHMARKS.md: {@code ./mvnw -Pbenchmark test}. Trains rl-zoo's
 * CartPole-v1 job in-process (seeds 42, 1, 2), then through the running service, and times
 * 10,000 single-observation /act calls in-process and over HTTP. Prints its figures; asserts nothing.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class CartPoleBenchmark {

    static final PpoConfig ZOO_CARTPOLE = PpoConfig.builder().learningRate(0.001).learningRateSchedule(Schedule.LINEAR)
            .nSteps(32).batchSize(256).nEpochs(20).gamma(0.98).gaeLambda(0.8).clipRange(0.2)
            .clipRangeSchedule(Schedule.LINEAR).build();
    static final int ACT_CALLS = 10_000;

    @Test
    void cartPole() throws Exception {
        System.out.printf("machine: %d cores, %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.arch"), System.getProperty("java.version"));
        ActorCritic trained = null;
        for (long seed : new long[] {42, 1, 2}) {
            trained = trainInProcess(seed);
        }
        double[][] observations = cartPoleStates(ACT_CALLS);
        inProcessLatency(trained, observations);
        serviceRun(observations);
    }

    /** The inference path of /act without HTTP: one batched forward pass and the distribution's mode. */
    private static void inProcessLatency(ActorCritic model, double[][] observations) {
        double[] action = new double[1];
        long[] nanos = new long[observations.length];
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < observations.length; i++) {
                long start = System.nanoTime();
                float[] input = new float[4];
                for (int c = 0; c < 4; c++) {
                    input[c] = (float) observations[i][c];
                }
                float[] logits = model.policyParameters(input, 1);
                model.distribution().mode(logits, 0, action, 0);
                nanos[i] = System.nanoTime() - start;
            }
        }
        print("act in-process (last trained policy)", nanos);
    }

    private static ActorCritic trainInProcess(long seed) {
        SyncVecEnv env = SyncVecEnv.of(new EnvironmentRegistry(), "CartPole-v1", 8);
        PpoTrainer trainer = new PpoTrainer(ZOO_CARTPOLE, env, seed);
        long[] reached = {-1};
        double[] reachedSeconds = {-1};
        IterationReport[] last = {null};
        long start = System.nanoTime();
        trainer.learn(100_000, report -> {
            last[0] = report;
            Double mean = report.episodeReturnMean();
            if (reached[0] < 0 && mean != null && mean >= 475) {
                reached[0] = report.timesteps();
                reachedSeconds[0] = report.elapsedSeconds();
            }
            return true;
        });
        double wall = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "train in-process seed %d: %.0f env-steps/s, %d steps in %.1f s, "
                        + "ep_rew_mean first >= 475 at %d steps after %.1f s, final ep_rew_mean %.1f%n",
                seed, last[0].timesteps() / wall, last[0].timesteps(), wall, reached[0], reachedSeconds[0],
                last[0].episodeReturnMean());
        return trainer.model();
    }

    private static void serviceRun(double[][] observations) throws Exception {
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(ProximaApplication.class)
                .profiles("test").run("--server.port=0")) {
            Api api = new Api(((WebServerApplicationContext) service).getWebServer().getPort());
            String job = """
                    {"name":"cartpole","environment":{"id":"CartPole-v1","numEnvs":8},"totalTimesteps":100000,
                     "seed":42,"hyperparameters":{"learningRate":0.001,"learningRateSchedule":"linear",
                     "nSteps":32,"batchSize":256,"nEpochs":20,"gamma":0.98,"gaeLambda":0.8,"clipRange":0.2,
                     "clipRangeSchedule":"linear"},"stopWhen":{"episodeReturnMean":475}}""";
            long start = System.nanoTime();
            String id = api.post("/api/jobs", job).body().get("id").asText();
            JsonNode done = api.awaitJob(id, Api::finished, Duration.ofMinutes(10));
            double wall = (System.nanoTime() - start) / 1e9;
            JsonNode points = api.get("/api/jobs/" + id + "/metrics?limit=10000").body().get("points");
            JsonNode last = points.get(points.size() - 1);
            System.out.printf(Locale.ROOT, "train via service (seed 42, stopWhen 475): %s at %d steps, "
                            + "%.1f s training, %.1f s submit-to-finish, %.0f env-steps/s%n",
                    done.get("status").asText(), done.get("timesteps").asLong(), last.get("elapsedSeconds").asDouble(),
                    wall, done.get("timesteps").asLong() / last.get("elapsedSeconds").asDouble());
            for (int i = 0; i < 500; i++) {
                api.post("/api/policies/" + id + "/act", body(observations[i]));
            }
            long[] nanos = new long[observations.length];
            for (int i = 0; i < observations.length; i++) {
                String body = body(observations[i]);
                long t = System.nanoTime();
                Api.Response response = api.post("/api/policies/" + id + "/act", body);
                nanos[i] = System.nanoTime() - t;
                if (response.status() != 200) {
                    throw new IllegalStateException("act failed: " + response.body());
                }
            }
            print("act over HTTP (keep-alive, one client)", nanos);
        }
    }

    private static String body(double[] observation) {
        return "{\"observation\":" + Arrays.toString(observation) + ",\"deterministic\":true}";
    }

    /** Observations a policy meets: states along random-action CartPole episodes. */
    private static double[][] cartPoleStates(int count) {
        Environment env = new EnvironmentRegistry().create("CartPole-v1");
        SplittableRandom random = new SplittableRandom(7);
        List<double[]> states = new ArrayList<>();
        double[] observation = env.reset(7);
        while (states.size() < count) {
            states.add(observation);
            var step = env.step(new double[] {random.nextInt(2)});
            observation = step.done() ? env.reset() : step.observation();
        }
        return states.toArray(double[][]::new);
    }

    static void print(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%s: p50 %.3f ms, p99 %.3f ms over %d calls%n", what,
                sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6, sorted.length);
    }
}

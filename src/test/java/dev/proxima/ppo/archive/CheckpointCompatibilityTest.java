package dev.proxima.ppo.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.ppo.IterationReport;
import dev.proxima.ppo.Policy;
import dev.proxima.ppo.PpoTrainer;
import dev.proxima.ppo.config.Activation;
import dev.proxima.ppo.config.LogStd;
import dev.proxima.ppo.config.NetworkConfig;
import dev.proxima.ppo.config.Objective;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.ppo.config.Schedule;
import dev.proxima.vecenv.SyncVecEnv;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checkpoints in users' databases must keep loading and resuming exactly: the archives in
 * {@code archives/proxima-policy-1} were written by the code before the core was split into
 * packages (commit 971836b), with the served policy's outputs and two resumed iterations as that
 * code produced them. Served and resumed, they must give the same numbers: bit for bit until
 * the fused network passes, which compute what DL4J computed in another order, and since then to
 * float rounding (every number within 1e-5 of the recorded one relatively, or 1e-6 absolutely for
 * the losses near zero that are differences of larger terms; the words and the
 * discrete actions exactly).
 */
class CheckpointCompatibilityTest {

    private static final EnvironmentRegistry REGISTRY = new EnvironmentRegistry();

    static Stream<Arguments> archives() {
        NetworkConfig small = new NetworkConfig(List.of(8), Activation.TANH);
        return Stream.of(
                Arguments.of("cartpole-norm", "CartPole-v1", base().normalizeObservations(true).network(small)),
                Arguments.of("pendulum-shared-fixed", "Pendulum-v1", base().sharedNetwork(true).logStd(LogStd.FIXED)
                        .logStdInit(-0.5).logStdEnd(-1.5).learningRateSchedule(Schedule.LINEAR)
                        .network(new NetworkConfig(List.of(8, 8), Activation.RELU))),
                Arguments.of("pendulum-sde-kl", "Pendulum-v1", base().useSde(true).sdeSampleFreq(4)
                        .objective(Objective.KL_PENALTY).normalizeReward(true).clipRangeVf(0.2).criticExtraEpochs(1)
                        .entCoef(0.01).entCoefSchedule(Schedule.LINEAR).targetKl(0.05).network(small)),
                Arguments.of("pendulum-sde-shared", "Pendulum-v1", base().useSde(true).sharedNetwork(true)
                        .network(small)),
                Arguments.of("pendulum-statedep-separate-rates", "Pendulum-v1", base().logStd(LogStd.STATE_DEPENDENT)
                        .actorLearningRate(1e-3).criticLearningRate(2e-3).orthoInit(false).network(small)),
                Arguments.of("maze-masks", "GridMaze-v0", base().network(small)));
    }

    private static PpoConfig.Builder base() {
        return PpoConfig.builder().nSteps(32).batchSize(16).nEpochs(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("archives")
    void anArchiveOfTheFirstFormatServesAndResumesAsItDidWhenWritten(String name, String env,
            PpoConfig.Builder config) throws IOException {
        byte[] archive = resource(name + ".zip");
        int observationSize = REGISTRY.find(env).orElseThrow().observationSpace().flatSize();
        List<String> actual = new ArrayList<>();
        actual.add("serving " + probe(Policy.forServing(archive), observationSize));
        actual.add("full " + probe(Policy.fromArchive(archive), observationSize));
        PpoTrainer resumed = PpoTrainer.resume(config.build(), SyncVecEnv.of(REGISTRY, env, 2), 7, archive, true);
        resumed.learn(5 * 64, report -> {
            actual.add("resumed " + describe(report));
            return true;
        });

        List<String> expected = new String(resource(name + ".expected.txt"), StandardCharsets.UTF_8).lines().toList();
        assertThat(actual).hasSameSizeAs(expected);
        for (int line = 0; line < expected.size(); line++) {
            assertSameToFloatRounding(actual.get(line), expected.get(line));
        }
    }

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?(E-?\\d+)?");

    private static void assertSameToFloatRounding(String actual, String expected) {
        String[] actualTokens = actual.split("[\\s\\[\\],=]+");
        String[] expectedTokens = expected.split("[\\s\\[\\],=]+");
        assertThat(actualTokens).as(actual).hasSameSizeAs(expectedTokens);
        for (int i = 0; i < expectedTokens.length; i++) {
            if (NUMBER.matcher(expectedTokens[i]).matches() && NUMBER.matcher(actualTokens[i]).matches()) {
                double want = Double.parseDouble(expectedTokens[i]);
                double got = Double.parseDouble(actualTokens[i]);
                assertThat(Math.abs(got - want)).as("%s in%n%s%nexpected%n%s", expectedTokens[i], actual, expected)
                        .isLessThanOrEqualTo(1e-5 * Math.max(Math.abs(want), Math.abs(got)) + 1e-6);
            } else {
                assertThat(actualTokens[i]).as(expected).isEqualTo(expectedTokens[i]);
            }
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = CheckpointCompatibilityTest.class.getResourceAsStream("/archives/proxima-policy-1/"
                + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    /** Stochastic actions (seeded), log-probabilities, distribution parameters and values of three observations. */
    private static String probe(Policy policy, int observationSize) {
        double[][] observations = new double[3][observationSize];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < observationSize; c++) {
                observations[r][c] = 0.3 * (r + 1) - 0.2 * c;
            }
        }
        var acted = policy.actWithDetails(observations, null, false, new SplittableRandom(5));
        return "actions " + Arrays.toString(acted.actions()) + " logProbs " + Arrays.toString(acted.logProbs())
                + " params " + Arrays.toString(acted.params()) + " values " + Arrays.toString(acted.values());
    }

    /** The iteration's metrics but the wall-clock ones. */
    private static String describe(IterationReport report) {
        StringBuilder line = new StringBuilder("iter " + report.iteration() + " steps " + report.timesteps());
        for (Map.Entry<String, Double> metric : report.metrics().entrySet()) {
            if (!metric.getKey().equals("time/fps") && !metric.getKey().equals("time/time_elapsed")) {
                line.append(' ').append(metric.getKey()).append('=').append(metric.getValue());
            }
        }
        return line.toString();
    }
}

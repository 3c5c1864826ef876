package dev.proxima.bench;

import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.ppo.HybridActionLearningTest;
import dev.proxima.ppo.PpoTrainer;
import dev.proxima.ppo.ValueNormalizationLearningTest;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.vecenv.SyncVecEnv;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The rows docs/BENCHMARKS.md gives for issue 11's variants, 3 seeds each:
 * <ul>
 * <li>hybrid actions: Moving-v0 (1e6 steps) and Sliding-v0 (2e6 steps) with the hybrid policy,
 * 100 deterministic episodes each: mean return and success rate (stopping on the target);
 * <li>value normalization: CartPole-v1 with rewards x1000, ep_rew_mean / 1000 every 10k steps,
 * with and without normalizeValue, next to the unscaled task with and without it.
 * </ul>
 * {@code ./mvnw -Pbenchmark test -Dbenchmark.test=PpoNotesBenchmark} (or {@code -Dbenchmark.parts=hybrid}
 * or {@code valueNorm} for one part).
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class PpoNotesBenchmark {

    private static boolean wanted(String part) {
        return Arrays.asList(System.getProperty("benchmark.parts", "hybrid,valueNorm").split(",")).contains(part);
    }

    @Test
    void hybridActions() {
        if (!wanted("hybrid")) {
            return;
        }
        for (String id : new String[] {"Moving-v0", "Sliding-v0"}) {
            long steps = id.equals("Moving-v0") ? 1_000_000 : 2_000_000;
            double[] returns = new double[3];
            double[] successes = new double[3];
            for (int seed = 0; seed < 3; seed++) {
                long start = System.nanoTime();
                PpoTrainer trainer = new PpoTrainer(HybridActionLearningTest.config(),
                        SyncVecEnv.of(new EnvironmentRegistry(), id, 8), seed);
                trainer.learn(steps, report -> true);
                double seconds = (System.nanoTime() - start) / 1e9;
                double[] evaluation = HybridActionLearningTest.evaluate(trainer.policy(), id, 100);
                returns[seed] = evaluation[0];
                successes[seed] = evaluation[1];
                System.out.printf(Locale.ROOT, "%s seed %d: %d steps in %.0f s (%.0f steps/s), deterministic return "
                        + "%.3f, success %.2f over 100 episodes%n", id, seed, steps, seconds, steps / seconds,
                        evaluation[0], evaluation[1]);
            }
            System.out.printf(Locale.ROOT, "%s over 3 seeds: return %.3f +- %.3f, success %.2f +- %.2f%n", id,
                    mean(returns), std(returns), mean(successes), std(successes));
        }
    }

    @Test
    void valueNormalizationOnScaledRewards() {
        if (!wanted("valueNorm")) {
            return;
        }
        record Variant(String name, double scale, PpoConfig config) {
        }
        List<Variant> variants = List.of(
                new Variant("unscaled", 1, ValueNormalizationLearningTest.zoo().build()),
                new Variant("unscaled normalizeValue", 1, ValueNormalizationLearningTest.zoo().normalizeValue(true)
                        .build()),
                new Variant("x1000 normalizeValue", 1000, ValueNormalizationLearningTest.zoo().normalizeValue(true)
                        .build()),
                new Variant("x1000 plain", 1000, ValueNormalizationLearningTest.zoo().build()));
        for (Variant variant : variants) {
            for (int seed = 0; seed < 3; seed++) {
                PpoTrainer trainer = new PpoTrainer(variant.config(), SyncVecEnv.of(new EnvironmentRegistry(),
                        "CartPole-v1", 8, variant.scale()), seed);
                List<String> curve = new ArrayList<>();
                long[] next = {10_000};
                trainer.learn(100_000, report -> {
                    if (report.timesteps() >= next[0]) {
                        Double value = report.episodeReturnMean();
                        curve.add(value == null ? "-" : String.format(Locale.ROOT, "%.0f", value / variant.scale()));
                        next[0] += 10_000;
                    }
                    return true;
                });
                System.out.printf(Locale.ROOT, "CartPole-v1 %s seed %d: ep_rew_mean/scale at 10k..100k: %s%n",
                        variant.name(), seed, String.join(" ", curve));
            }
        }
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    private static double std(double[] values) {
        double mean = mean(values);
        return Math.sqrt(Arrays.stream(values).map(v -> (v - mean) * (v - mean)).average().orElse(Double.NaN));
    }
}

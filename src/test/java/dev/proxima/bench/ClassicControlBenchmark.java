package dev.proxima.bench;

import dev.proxima.env.Environment;
import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.env.StepResult;
import dev.proxima.ppo.Policy;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.ppo.PpoTrainer;
import dev.proxima.vecenv.SyncVecEnv;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * rl-zoo's configurations for the classic-control environments at rl-zoo's budgets, 3 seeds each,
 * evaluated as rl-zoo's benchmark does: deterministic actions, mean and std of the episode return.
 * {@code ./mvnw -Pbenchmark test -Dbenchmark.test=ClassicControlBenchmark -Dbenchmark.envs=Pendulum-v1,Acrobot-v1}
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class ClassicControlBenchmark {

    record Run(String env, int numEnvs, long steps, PpoConfig config) {
    }

    static final Run[] RUNS = {
        new Run("Acrobot-v1", 16, 1_000_000, PpoConfig.builder().normalizeObservations(true).normalizeReward(true)
                .nSteps(256).gaeLambda(0.94).gamma(0.99).nEpochs(4).entCoef(0.0).build()),
        new Run("MountainCar-v0", 16, 1_000_000, PpoConfig.builder().normalizeObservations(true).normalizeReward(true)
                .nSteps(16).gaeLambda(0.98).gamma(0.99).nEpochs(4).entCoef(0.0).build()),
        new Run("Pendulum-v1", 4, 100_000, PpoConfig.builder().nSteps(1024).gaeLambda(0.95).gamma(0.9).nEpochs(10)
                .entCoef(0.0).learningRate(1e-3).clipRange(0.2).useSde(true).sdeSampleFreq(4).build()),
        // rl-zoo's batch_size 256 exceeds the 8-step rollout, so SB3 trains on the whole rollout: batchSize 8
        new Run("MountainCarContinuous-v0", 1, 20_000, PpoConfig.builder().normalizeObservations(true)
                .normalizeReward(true).nSteps(8).batchSize(8).gamma(0.9999).learningRate(7.77e-5).entCoef(0.00429)
                .clipRange(0.1).nEpochs(10).gaeLambda(0.9).maxGradNorm(5.0).vfCoef(0.19).useSde(true)
                .logStdInit(-3.29).orthoInit(false).build()),
    };

    @Test
    void classicControl() {
        String wanted = System.getProperty("benchmark.envs",
                "Pendulum-v1,Acrobot-v1,MountainCar-v0,MountainCarContinuous-v0");
        for (Run run : RUNS) {
            if (!Arrays.asList(wanted.split(",")).contains(run.env())) {
                continue;
            }
            double[] means = new double[3];
            for (int seed = 0; seed < 3; seed++) {
                long start = System.nanoTime();
                PpoTrainer trainer = new PpoTrainer(run.config(), SyncVecEnv.of(new EnvironmentRegistry(), run.env(),
                        run.numEnvs()), seed);
                Double[] trainingReturn = {null};
                trainer.learn(run.steps(), report -> {
                    trainingReturn[0] = report.episodeReturnMean();
                    return true;
                });
                double seconds = (System.nanoTime() - start) / 1e9;
                double[] evaluation = evaluate(trainer.policy(), run.env(), 20, 1000 + seed);
                means[seed] = mean(evaluation);
                System.out.printf(Locale.ROOT, "%s seed %d: %d steps in %.0f s (%.0f steps/s), final ep_rew_mean %.1f, "
                                + "deterministic evaluation %.1f +- %.1f over %d episodes%n", run.env(), seed,
                        run.steps(), seconds, run.steps() / seconds, trainingReturn[0], means[seed], std(evaluation),
                        evaluation.length);
            }
            System.out.printf(Locale.ROOT, "%s over 3 seeds: %.1f +- %.1f (mean and std of the seeds' evaluation means)%n",
                    run.env(), mean(means), std(means));
        }
    }

    private static double[] evaluate(Policy policy, String id, int episodes, long seed) {
        Environment env = new EnvironmentRegistry().create(id);
        double[] returns = new double[episodes];
        double[] observation = env.reset(seed);
        for (int episode = 0; episode < episodes; episode++) {
            boolean done = false;
            while (!done) {
                StepResult step = env.step(policy.act(new double[][] {observation}, null, true, null));
                returns[episode] += step.reward();
                observation = step.observation();
                done = step.done();
            }
            observation = env.reset();
        }
        return returns;
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    private static double std(double[] values) {
        double mean = mean(values);
        return Math.sqrt(Arrays.stream(values).map(v -> (v - mean) * (v - mean)).average().orElse(Double.NaN));
    }
}

package dev.proxima.vecenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxima.env.BoxSpace;
import dev.proxima.env.DiscreteSpace;
import dev.proxima.env.EnvironmentSpec;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The runner protocol's rounds, retries, cuts and leases, with the trainer on a thread of its own. */
class ExternalVecEnvTest {

    private static final EnvironmentSpec SPEC = new EnvironmentSpec("external",
            BoxSpace.of(new double[] {-1}, new double[] {1}), new DiscreteSpace(2), 0, null);

    private final ExecutorService trainer = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        trainer.shutdownNow();
    }

    private static ExternalVecEnv env(int size, Duration lease) {
        return new ExternalVecEnv(SPEC, size, false,
                new ExternalVecEnv.Settings(lease, Duration.ofSeconds(5), Duration.ofMinutes(1)));
    }

    private static ExternalVecEnv.Delivery first(double... observations) {
        return new ExternalVecEnv.Delivery(0, rows(observations), null, null, null, new double[observations.length][], null);
    }

    private static ExternalVecEnv.Delivery next(long sequence, double[] observations, double[] rewards,
            boolean[] terminated, boolean[] truncated, double[][] finals) {
        return new ExternalVecEnv.Delivery(sequence, rows(observations), rewards, terminated, truncated, finals, null);
    }

    private static double[][] rows(double... values) {
        double[][] rows = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            rows[i] = new double[] {values[i]};
        }
        return rows;
    }

    private <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRoundTripCarriesObservationsActionsAndRewardsAndARetryCountsOnce() throws Exception {
        ExternalVecEnv env = env(2, Duration.ofMinutes(1));
        UUID runner = UUID.randomUUID();
        env.attach(runner, 2);
        CompletableFuture<double[][]> reset = CompletableFuture.supplyAsync(() -> env.reset(0), trainer);
        CompletableFuture<ExternalVecEnv.Answer> answer0 = CompletableFuture.supplyAsync(() -> env.step(runner, first(0.1, 0.2)));
        assertThat(await(reset)).isDeepEqualTo(new double[][] {{0.1}, {0.2}});

        CompletableFuture<VecStep> step = CompletableFuture.supplyAsync(() -> env.step(new double[][] {{1}, {0}}), trainer);
        assertThat(await(answer0).actions()).isDeepEqualTo(new double[][] {{1}, {0}});
        // a retry of sequence 0 gets the same actions
        assertThat(env.step(runner, first(0.1, 0.2)).actions()).isDeepEqualTo(new double[][] {{1}, {0}});

        ExternalVecEnv.Delivery one = next(1, new double[] {0.3, -0.5}, new double[] {1, 2},
                new boolean[] {false, false}, new boolean[] {false, true}, new double[][] {null, {0.9}});
        CompletableFuture<ExternalVecEnv.Answer> answer1 = CompletableFuture.supplyAsync(() -> env.step(runner, one));
        VecStep result = await(step);
        assertThat(result.rewards()).containsExactly(1, 2);
        assertThat(result.truncated()).containsExactly(false, true);
        assertThat(result.finalObservations()[1]).containsExactly(0.9);
        assertThat(result.finishedEpisodes()).containsExactly(new Episode(2, 1));

        CompletableFuture<VecStep> step2 = CompletableFuture.supplyAsync(() -> env.step(new double[][] {{0}, {0}}), trainer);
        assertThat(await(answer1).actions()).isDeepEqualTo(new double[][] {{0}, {0}});
        // the retry of sequence 1 records nothing again: the trainer still waits for sequence 2
        assertThat(env.step(runner, one).actions()).isDeepEqualTo(new double[][] {{0}, {0}});
        Thread.sleep(200);
        assertThat(step2).isNotDone();
        assertThatThrownBy(() -> env.step(runner, first(0, 0))).isInstanceOf(ExternalVecEnv.OutOfOrderException.class);
        env.step(runner, next(2, new double[] {0, 0}, new double[] {5, 5}, new boolean[2], new boolean[2], new double[2][]));
        assertThat(await(step2).rewards()).containsExactly(5, 5);
    }

    @Test
    void aRunnerThatLeavesMidEpisodeIsCutAsTruncatedAndItsCopiesGoToTheNextRunner() throws Exception {
        ExternalVecEnv env = env(2, Duration.ofMillis(300));
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        env.attach(a, 1);
        env.attach(b, 1);
        CompletableFuture<double[][]> reset = CompletableFuture.supplyAsync(() -> env.reset(0), trainer);
        CompletableFuture<ExternalVecEnv.Answer> fromA = CompletableFuture.supplyAsync(() -> env.step(a, first(0.1)));
        CompletableFuture<ExternalVecEnv.Answer> fromB = CompletableFuture.supplyAsync(() -> env.step(b, first(0.2)));
        await(reset);
        CompletableFuture<VecStep> step = CompletableFuture.supplyAsync(() -> env.step(new double[][] {{1}, {1}}), trainer);
        await(fromA);
        await(fromB);
        // a waits for its actions (a call in progress keeps its lease); b never calls again: its lease lapses
        CompletableFuture.supplyAsync(() -> env.step(a,
                next(1, new double[] {0.3}, new double[] {1}, new boolean[1], new boolean[1], new double[1][])));
        Thread.sleep(600);
        assertThat(step).isNotDone();
        assertThat(env.freeSlots()).isEqualTo(1);
        assertThatThrownBy(() -> env.step(b, first(0))).isInstanceOf(ExternalVecEnv.NotAttachedException.class);

        UUID c = UUID.randomUUID();
        assertThat(env.attach(c, 1)).containsExactly(1);
        CompletableFuture.supplyAsync(() -> env.step(c, first(0.7)));
        VecStep result = await(step);
        // b's episode is cut where its last action was taken: truncated, bootstrapped from that observation
        assertThat(result.truncated()).containsExactly(false, true);
        assertThat(result.rewards()[1]).isZero();
        assertThat(result.finalObservations()[1]).containsExactly(0.2);
        assertThat(result.observations()[1]).containsExactly(0.7);
        assertThat(result.finishedEpisodes()).isEmpty();
    }

    @Test
    void theTrainerGivesUpWhenNoRunnerCameForTheLimitOrItIsToldToStop() throws Exception {
        ExternalVecEnv lonely = new ExternalVecEnv(SPEC, 1, false,
                new ExternalVecEnv.Settings(Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofMillis(300)));
        assertThatThrownBy(() -> lonely.reset(0)).isInstanceOf(ExternalVecEnv.RunnersLostException.class);

        ExternalVecEnv cancelled = env(1, Duration.ofMinutes(1));
        cancelled.stopWaitingWhen(() -> true);
        assertThatThrownBy(() -> cancelled.reset(0)).isInstanceOf(ExternalVecEnv.WaitAbortedException.class);
    }

    @Test
    void aStepWaitsAtMostThePollAndAClosedEnvironmentTellsFinishedFromStopped() {
        ExternalVecEnv env = new ExternalVecEnv(SPEC, 2, false,
                new ExternalVecEnv.Settings(Duration.ofMinutes(1), Duration.ofMillis(200), Duration.ofMinutes(1)));
        UUID runner = UUID.randomUUID();
        env.attach(runner, 1);
        long start = System.nanoTime();
        assertThat(env.step(runner, first(0.5)).ready()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThatThrownBy(() -> env.attach(UUID.randomUUID(), 2)).isInstanceOf(ExternalVecEnv.NoFreeSlotsException.class);
        env.close(true);
        assertThatThrownBy(() -> env.step(runner, first(0.5)))
                .isInstanceOfSatisfying(ExternalVecEnv.ClosedException.class, e -> assertThat(e.finished()).isTrue());
    }
}

package dev.proxima.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxima.ppo.IterationReport;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StopConditionTest {

    private static JobRequest request(long totalTimesteps, Double episodeReturnMean, Long maxRuntimeSeconds) {
        return new JobRequest("job", new JobRequest.EnvironmentRequest("CartPole-v1", null, 1), totalTimesteps, 1L, null,
                new JobRequest.StopWhen(episodeReturnMean, maxRuntimeSeconds), null);
    }

    private static IterationReport report(long timesteps, double elapsedSeconds, Double episodeReturnMean) {
        Map<String, Double> metrics = episodeReturnMean == null
                ? Map.of()
                : Map.of(IterationReport.EP_REW_MEAN, episodeReturnMean);
        return new IterationReport(1, timesteps, elapsedSeconds, metrics, null);
    }

    @Test
    void goesOnUntilALimitIsReached() {
        StopCondition condition = new StopCondition(request(1000, 200.0, 60L));
        assertThat(condition.reached(report(500, 59.9, 199.0))).isNull();
        assertThat(condition.reached(report(500, 10, null))).isNull();
        assertThat(condition.reached(report(500, 60.0, 100.0))).isEqualTo(StopReason.MAX_RUNTIME_SECONDS);
        assertThat(condition.reached(report(1000, 1, 100.0))).isEqualTo(StopReason.TOTAL_TIMESTEPS);
        assertThat(condition.reached(report(500, 1, 200.0))).isEqualTo(StopReason.EPISODE_RETURN_MEAN);
    }

    @Test
    void theTimeLimitStopsBeforeAnIterationThatWouldPassIt() {
        StopCondition condition = new StopCondition(request(1_000_000, null, 35L));
        assertThat(condition.reached(report(100, 10, null))).isNull();
        assertThat(condition.reached(report(200, 20, null))).isNull();
        // 30 s in, iterations of 10 s: the next would end at 40
        assertThat(condition.reached(report(300, 30, null))).isEqualTo(StopReason.MAX_RUNTIME_SECONDS);
    }

    @Test
    void theReturnGoalWinsOverTheOtherLimitsInTheSameIteration() {
        StopCondition condition = new StopCondition(request(1000, 200.0, 60L));
        assertThat(condition.reached(report(1000, 61, 250.0))).isEqualTo(StopReason.EPISODE_RETURN_MEAN);
        assertThat(condition.reached(report(1000, 61, 150.0))).isEqualTo(StopReason.TOTAL_TIMESTEPS);
    }

    @Test
    void withoutStopWhenOnlyTheTimestepsEndTraining() {
        StopCondition condition = new StopCondition(new JobRequest("job",
                new JobRequest.EnvironmentRequest("CartPole-v1", null, 1), 1000L, 1L, null, null, null));
        assertThat(condition.reached(report(999, 1e9, 1e9))).isNull();
        assertThat(condition.reached(report(1000, 0, null))).isEqualTo(StopReason.TOTAL_TIMESTEPS);
    }
}

package dev.proxima.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointScheduleTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void everyNIterationsIgnoresTime() {
        CheckpointSchedule schedule = new CheckpointSchedule(3, Duration.ofSeconds(1));
        List<Integer> due = new ArrayList<>();
        for (int iteration = 1; iteration <= 10; iteration++) {
            long now = iteration * 100 * SECOND;
            if (schedule.due(iteration, now)) {
                due.add(iteration);
                schedule.written(now);
            }
        }
        assertThat(due).containsExactly(3, 6, 9);
    }

    @Test
    void timeBasedWritesTheFirstIterationThenAtMostOncePerInterval() {
        CheckpointSchedule schedule = new CheckpointSchedule(null, Duration.ofSeconds(60));
        assertThat(schedule.due(1, 0)).isTrue();
        schedule.written(0);
        assertThat(schedule.due(2, 59 * SECOND)).isFalse();
        assertThat(schedule.due(3, 60 * SECOND)).isTrue();
        schedule.written(60 * SECOND);
        assertThat(schedule.due(4, 61 * SECOND)).isFalse();
    }
}

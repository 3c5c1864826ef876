package dev.proxima.ppo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void constantIsTheSameAtEveryProgress() {
        Schedule schedule = Schedule.constant(2.5e-4);
        for (double progress : new double[] {1.0, 0.7, 0.0, -0.5, 2.0}) {
            assertThat(schedule.valueAt(progress)).isEqualTo(2.5e-4);
        }
    }

    @Test
    void linearDecaysFromTheInitialValueToZero() {
        Schedule schedule = Schedule.linear(1e-3);

        assertThat(schedule.valueAt(1.0)).isCloseTo(1e-3, within(1e-15));
        assertThat(schedule.valueAt(0.5)).isCloseTo(5e-4, within(1e-15));
        assertThat(schedule.valueAt(0.25)).isCloseTo(2.5e-4, within(1e-15));
        assertThat(schedule.valueAt(0.0)).isCloseTo(0.0, within(1e-15));
    }

    @Test
    void linearIsClampedOutsideZeroToOne() {
        Schedule schedule = Schedule.linear(0.2);

        assertThat(schedule.valueAt(1.5)).isCloseTo(0.2, within(1e-15));
        assertThat(schedule.valueAt(-0.3)).isCloseTo(0.0, within(1e-15));
        assertThat(schedule.valueAt(-1e-9)).isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void linearBetweenAStartAndAnEnd() {
        Schedule schedule = Schedule.linear(1.0, 0.1);

        assertThat(schedule.valueAt(1.0)).isCloseTo(1.0, within(1e-15));
        assertThat(schedule.valueAt(0.5)).isCloseTo(0.55, within(1e-15));
        assertThat(schedule.valueAt(0.0)).isCloseTo(0.1, within(1e-15));
        assertThat(schedule.valueAt(-2.0)).isCloseTo(0.1, within(1e-15));
        assertThat(schedule.valueAt(3.0)).isCloseTo(1.0, within(1e-15));
        // an increasing schedule works the same way
        assertThat(Schedule.linear(0.0, 2.0).valueAt(0.25)).isCloseTo(1.5, within(1e-15));
    }

    @Test
    void ofByName() {
        assertThat(Schedule.of(Schedule.CONSTANT, 0.3).valueAt(0.0)).isEqualTo(0.3);
        assertThat(Schedule.of(Schedule.LINEAR, 0.3).valueAt(0.5)).isCloseTo(0.15, within(1e-15));
        assertThat(Schedule.of(Schedule.LINEAR, 0.3).valueAt(0.0)).isCloseTo(0.0, within(1e-15));
        assertThatThrownBy(() -> JsonNamed.parse(Schedule.Kind.class, "learningRateSchedule", "cosine"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cosine");
    }

    @Test
    void configSchedulesFollowTheirNames() {
        PpoConfig config = PpoConfig.builder().learningRate(0.001).learningRateSchedule(Schedule.LINEAR).clipRange(0.2)
                .clipRangeSchedule(Schedule.CONSTANT).build();

        assertThat(config.learningRateOverTraining().valueAt(0.5)).isCloseTo(5e-4, within(1e-15));
        assertThat(config.clipRangeOverTraining().valueAt(0.5)).isEqualTo(0.2);
    }
}

package dev.proxima.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MultiDiscreteSpaceTest {

    @Test
    void holdsOneValuePerDimensionAndIsAValue() {
        int[] nvec = {3, 1, 4};
        MultiDiscreteSpace space = new MultiDiscreteSpace(nvec);
        nvec[0] = 9;

        assertThat(space.flatSize()).isEqualTo(3);
        assertThat(space.nvec()).containsExactly(3, 1, 4);
        assertThat(space).isEqualTo(new MultiDiscreteSpace(new int[] {3, 1, 4}))
                .hasSameHashCodeAs(new MultiDiscreteSpace(new int[] {3, 1, 4}))
                .isNotEqualTo(new MultiDiscreteSpace(new int[] {3, 4, 1}));
        assertThat(space).hasToString("MultiDiscrete([3, 1, 4])");
    }

    @Test
    void everyDimensionNeedsAChoice() {
        assertThatThrownBy(() -> new MultiDiscreteSpace(new int[] {2, 0})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MultiDiscreteSpace(new int[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void choicesAreWholeNumbersInRangeOnePerDimension() {
        MultiDiscreteSpace space = new MultiDiscreteSpace(new int[] {3, 2});

        assertThat(space.choices(new double[] {2, 0})).containsExactly(2, 0);
        assertThat(space.allows(0, 2)).isTrue();
        assertThat(space.allows(1, 2)).isFalse();
        assertThat(space.allows(0, 0.5)).isFalse();
        assertThat(space.allows(0, -1)).isFalse();
        assertThatThrownBy(() -> space.choices(new double[] {1})).hasMessageContaining("2 values");
        assertThatThrownBy(() -> space.choices(new double[] {1, 2})).hasMessageContaining("action[1]");
        assertThatThrownBy(() -> space.choices(new double[] {1.5, 0})).hasMessageContaining("action[0]");
    }
}

package dev.proxima.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The Environment contract, shared by Acrobot, MountainCar, MountainCarContinuous and Pendulum. */
class ClassicControlEnvTest {

    enum Env {
        ACROBOT("Acrobot", Acrobot::new, 4, new double[] {1}),
        MOUNTAIN_CAR("MountainCar", MountainCar::new, 2, new double[] {2}),
        MOUNTAIN_CAR_CONTINUOUS("MountainCarContinuous", MountainCarContinuous::new, 2, new double[] {0.5}),
        PENDULUM("Pendulum", Pendulum::new, 2, new double[] {-1.5});

        final String name;
        final Supplier<Environment> factory;
        final int stateSize;
        final double[] validAction;

        Env(String name, Supplier<Environment> factory, int stateSize, double[] validAction) {
            this.name = name;
            this.factory = factory;
            this.stateSize = stateSize;
            this.validAction = validAction;
        }

        boolean discrete() {
            return factory.get().spec().actionSpace() instanceof DiscreteSpace;
        }
    }

    @ParameterizedTest
    @EnumSource(Env.class)
    void seededResetsAreReproducibleAndSeedsDiffer(Env env) {
        Environment first = env.factory.get();
        Environment second = env.factory.get();

        assertThat(first.reset(42)).containsExactly(second.reset(42));
        assertThat(first.state()).containsExactly(second.state());
        assertThat(first.reset()).as("unseeded reset continues the generator").containsExactly(second.reset());
        assertThat(first.state()).containsExactly(second.state());
        StepResult firstStep = first.step(env.validAction);
        StepResult secondStep = second.step(env.validAction);
        assertThat(firstStep.observation()).containsExactly(secondStep.observation());
        assertThat(firstStep.reward()).isEqualTo(secondStep.reward());

        Set<List<Double>> states = new HashSet<>();
        for (long seed = 0; seed < 100; seed++) {
            first.reset(seed);
            states.add(boxed(first.state()));
        }
        assertThat(states).hasSize(100);
    }

    @ParameterizedTest
    @EnumSource(Env.class)
    void unseededResetsContinueTheGeneratorOrStartFromARandomSeed(Env env) {
        Environment seeded = env.factory.get();
        double[] firstEpisode = seeded.reset(3);
        assertThat(seeded.reset()).isNotEqualTo(firstEpisode);

        Environment unseeded = env.factory.get();
        assertThat(unseeded.reset()).hasSize(unseeded.spec().observationSpace().flatSize());
        assertThat(unseeded.state()).hasSize(env.stateSize);
    }

    @ParameterizedTest
    @EnumSource(Env.class)
    void observationsHaveTheSpaceSizeAndAreFloat32(Env env) {
        Environment environment = env.factory.get();
        int size = environment.spec().observationSpace().flatSize();
        double[] observation = environment.reset(11);
        for (int t = 0; t < 50; t++) {
            assertThat(observation).hasSize(size);
            assertThat(observation).containsExactly(ClassicControl.toFloat32(observation));
            observation = environment.step(env.validAction).observation();
        }
    }

    @ParameterizedTest
    @EnumSource(Env.class)
    void stepsNeverTruncateByThemselves(Env env) {
        Environment environment = env.factory.get();
        environment.reset(5);
        for (int t = 0; t < 1200; t++) {
            assertThat(environment.step(env.validAction).truncated()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Env.class)
    void registryWrapsInTheTimeLimit(Env env) {
        EnvironmentSpec spec = env.factory.get().spec();
        Environment environment = new EnvironmentRegistry().create(spec.id());
        assertThat(environment).isInstanceOf(TimeLimit.class);
        environment.reset(9);
        StepResult last = null;
        for (int t = 0; t < spec.maxEpisodeSteps(); t++) {
            last = environment.step(env.validAction);
            assertThat(last.truncated()).as("step %d", t + 1).isEqualTo(t + 1 == spec.maxEpisodeSteps());
        }
        assertThat(last.truncated()).isTrue();
    }

    static Stream<Arguments> invalidActions() {
        List<double[]> any = List.of(new double[] {Double.NaN}, new double[] {Double.POSITIVE_INFINITY},
                new double[] {Double.NEGATIVE_INFINITY}, new double[0], new double[] {0, 1});
        List<double[]> discrete = List.of(new double[] {0.5}, new double[] {3}, new double[] {-1},
                new double[] {1e10});
        // finite doubles that overflow the float32 of the Box's dtype
        List<double[]> continuous = List.of(new double[] {1e39}, new double[] {-Double.MAX_VALUE});
        return Stream.of(Env.values()).flatMap(env -> Stream.concat(
                Stream.concat(any.stream(), (env.discrete() ? discrete : continuous).stream()),
                Stream.of((double[]) null)).map(action -> Arguments.of(env, action)));
    }

    @ParameterizedTest
    @MethodSource("invalidActions")
    void invalidActionsAreRejected(Env env, double[] action) {
        Environment environment = env.factory.get();
        environment.reset(1);
        double[] state = environment.state();

        assertThatThrownBy(() -> environment.step(action))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(env.name + " action");
        assertThat(environment.state()).as("state untouched").containsExactly(state);
    }

    @ParameterizedTest
    @EnumSource(Env.class)
    void stepBeforeResetThrows(Env env) {
        assertThatThrownBy(() -> env.factory.get().step(env.validAction)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> env.factory.get().state()).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @EnumSource(Env.class)
    void resetToStateValidatesAndCopies(Env env) {
        Environment environment = env.factory.get();
        int n = env.stateSize;
        assertThatThrownBy(() -> environment.resetToState(new double[n + 1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(env.name + " state");
        assertThatThrownBy(() -> environment.resetToState(null)).isInstanceOf(IllegalArgumentException.class);
        double[] withNaN = new double[n];
        withNaN[n - 1] = Double.NaN;
        assertThatThrownBy(() -> environment.resetToState(withNaN)).isInstanceOf(IllegalArgumentException.class);
        double[] withInfinity = new double[n];
        withInfinity[0] = Double.NEGATIVE_INFINITY;
        assertThatThrownBy(() -> environment.resetToState(withInfinity)).isInstanceOf(IllegalArgumentException.class);

        double[] state = new double[n];
        Arrays.setAll(state, i -> 0.01 * (i + 1) - 0.3);
        double[] given = state.clone();
        environment.resetToState(given);
        given[0] = 9;
        environment.state()[1] = 9;
        assertThat(environment.state()).containsExactly(state);
    }

    @Test
    void registryListsTheClassicControlEnvironmentsAfterCartPole() {
        EnvironmentRegistry registry = new EnvironmentRegistry();

        assertThat(registry.specs()).extracting(EnvironmentSpec::id).containsExactly(
                "CartPole-v1", "Acrobot-v1", "MountainCar-v0", "MountainCarContinuous-v0", "Pendulum-v1",
                "GridMaze-v0", "DiagonalMaze-v0", "Moving-v0", "Sliding-v0");
        for (Env env : Env.values()) {
            EnvironmentSpec spec = env.factory.get().spec();
            assertThat(registry.find(spec.id())).contains(spec);
        }
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}

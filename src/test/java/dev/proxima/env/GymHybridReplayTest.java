package dev.proxima.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Moving} and {@link Sliding} against episodes recorded from gym-hybrid's own Python code
 * (gym_hybrid/environments.py and agents.py, run under a stand-in for the old gym API) with numpy
 * 2.4.6 by scripts/gen_gym_hybrid_fixtures.py.
 *
 * <p>The Java follows the Python operation by operation in float64, so the doubles match bit for
 * bit except where a library function rounds differently. Measured on this machine against
 * numpy 2.4.6 on 400,000 random arguments: numpy's cos/sin (glibc's) differ from
 * {@link Math#cos}/{@link Math#sin} in the last bit for 0.2% of them (StrictMath's fdlibm: 3.3%),
 * numpy's arctan2 (its own SIMD code, not glibc's) differs from {@link Math#atan2} (which is
 * StrictMath's) by 1 or 2 ulps for 16-20%, and {@code v ** 2} (glibc's pow) is not the correctly
 * rounded {@code v * v} for 0.08%. Over the fixtures:
 * <ul>
 * <li>Moving-v0 (16 episodes, 1898 steps): the state and the rewards replay bit-exactly. Its one
 * libm call that matters is cos/sin(theta), whose last bit the position update
 * {@code x + 0.005 * speed * cos(theta)} rounded away on every recorded step. One observation
 * value, the sin(theta) of one step, is one ulp (1.1e-16) off. So the tolerance is: state and
 * reward exact, observation within one ulp of a value below 1 ({@code Math.ulp(0.5)}), for whole
 * episodes and single steps alike.
 * <li>Sliding-v0 (16 episodes, 1988 steps): an acceleration calls arctan2 for the velocity's new
 * direction phi. Of the 215 recorded accelerations at a non-zero speed along a phi other than
 * theta (the others compute arctan2(+-0, x) = +-0 or +-pi, exactly), 8 gave a phi 1 or 2 ulps
 * off, which the dynamics then carry along. Over whole episodes the state drifts by at most
 * 8.9e-16 (phi; speed 4.4e-16, y 5.6e-17), the observations by 4.4e-16 and the rewards by
 * 2.2e-16. The tolerance, 1e-14, is more than 10 times that and still far below anything that
 * could change an episode's course (every termination flag matches). Stepping from the recorded
 * state before each step removes the drift: the next state is within 2 ulps (8.9e-16, the phi of
 * an arctan2; tolerance 2e-15), the observation within 5.6e-17 (one ulp of cos(theta) or of y;
 * tolerance 1e-15) and the rewards are exact (tolerance 1e-15 all the same: a regenerated fixture
 * may hit one of the rare pow roundings in a distance, one ulp of a value below 2.7).
 * </ul>
 * Termination is compared exactly everywhere, and most steps are bit-exact, which
 * {@link #mostStepsReplayBitExactly} checks.
 */
class GymHybridReplayTest {

    /** Absolute differences allowed to the recording; zero means bit-exact. */
    record Tolerance(double state, double observation, double reward) {
    }

    enum Env {
        // measured: state 0, observation 1.1e-16 (one sin), reward 0, for replay and single steps
        MOVING(Moving.ID, Moving::new,
                new Tolerance(0, Math.ulp(0.5), 0), new Tolerance(0, Math.ulp(0.5), 0), 99),
        // measured: replay 8.9e-16 / 4.4e-16 / 2.2e-16; single steps 8.9e-16 / 5.6e-17 / 0
        SLIDING(Sliding.ID, Sliding::new,
                new Tolerance(1e-14, 1e-14, 1e-14), new Tolerance(2e-15, 1e-15, 1e-15), 90);

        final String id;
        final Supplier<GymHybrid> make;
        final Tolerance replay;
        final Tolerance singleStep;
        /** The percentage of steps that must replay bit-exactly (observation, reward, state). */
        final int exactPercent;

        Env(String id, Supplier<GymHybrid> make, Tolerance replay, Tolerance singleStep, int exactPercent) {
            this.id = id;
            this.make = make;
            this.replay = replay;
            this.singleStep = singleStep;
            this.exactPercent = exactPercent;
        }

        /** How many leading state values are the agent's: x, y, speed, theta (and Sliding's phi). */
        int agentSize() {
            return this == SLIDING ? 5 : 4;
        }
    }

    private static final Map<Env, Fixture> FIXTURES = new EnumMap<>(Env.class);

    private static synchronized Fixture fixture(Env env) {
        return FIXTURES.computeIfAbsent(env, e -> Fixture.load(e.id));
    }

    // --- replaying the recorded episodes -------------------------------------------------------

    @TestFactory
    Stream<DynamicNode> replaysRecordedEpisodes() {
        return Stream.of(Env.values()).map(env -> DynamicContainer.dynamicContainer(env.id,
                fixture(env).episodes().stream().map(episode -> DynamicTest.dynamicTest(
                        episode.toString(), () -> replay(env, episode)))));
    }

    /** Replays the episode's actions from its initial state; returns how many steps were bit-exact. */
    private static int replay(Env env, Episode episode) {
        GymHybrid environment = env.make.get();
        double[] first = environment.resetToState(episode.initialState());
        assertThat(environment.state()).as("initial state").containsExactly(episode.initialState());
        assertClose(env.id + " " + episode + " initial observation", first, episode.initialObservation(),
                env.replay.observation());

        int exact = 0;
        for (int t = 0; t < episode.steps().size(); t++) {
            Step expected = episode.steps().get(t);
            StepResult actual = environment.step(expected.action());
            double[] state = environment.state();
            assertMatches(env.id + " " + episode + ", step " + (t + 1), env.replay, expected, actual, state);
            if (Arrays.equals(actual.observation(), expected.observation()) && actual.reward() == expected.reward()
                    && Arrays.equals(state, expected.state())) {
                exact++;
            }
        }
        assertThat(ending(env, environment.state())).as(env.id + " " + episode + " ending").isEqualTo(episode.ending());
        return exact;
    }

    @TestFactory
    Stream<DynamicNode> eachStepFromTheRecordedStateMatches() {
        return Stream.of(Env.values()).map(env -> DynamicContainer.dynamicContainer(env.id,
                fixture(env).episodes().stream().map(episode -> DynamicTest.dynamicTest(
                        episode.toString(), () -> stepFromRecordedStates(env, episode)))));
    }

    /** Sets the recorded state before every step; returns how many steps were bit-exact. */
    private static int stepFromRecordedStates(Env env, Episode episode) {
        GymHybrid environment = env.make.get();
        double[] state = episode.initialState();
        int exact = 0;
        for (int t = 0; t < episode.steps().size(); t++) {
            Step expected = episode.steps().get(t);
            environment.resetToState(state);
            StepResult actual = environment.step(expected.action());
            double[] next = environment.state();
            assertMatches(env.id + " " + episode + ", step " + (t + 1) + " from the recorded state",
                    env.singleStep, expected, actual, next);
            if (Arrays.equals(actual.observation(), expected.observation()) && actual.reward() == expected.reward()
                    && Arrays.equals(next, expected.state())) {
                exact++;
            }
            state = expected.state();
        }
        return exact;
    }

    @ParameterizedTest
    @EnumSource(Env.class)
    void mostStepsReplayBitExactly(Env env) {
        Fixture fixture = fixture(env);
        int steps = fixture.episodes().stream().mapToInt(e -> e.steps().size()).sum();
        int replayed = fixture.episodes().stream().mapToInt(e -> replay(env, e)).sum();
        int single = fixture.episodes().stream().mapToInt(e -> stepFromRecordedStates(env, e)).sum();

        // measured: Moving 1897 of 1898 steps either way; Sliding 1900 (replay) and 1976 (single) of 1988
        assertThat(replayed).isGreaterThanOrEqualTo(steps * env.exactPercent / 100);
        assertThat(single).isGreaterThanOrEqualTo(steps * 98 / 100);
    }

    private static void assertMatches(String where, Tolerance tolerance, Step expected, StepResult actual,
            double[] actualState) {
        assertClose(where + " observation", actual.observation(), expected.observation(), tolerance.observation());
        assertClose(where + " state", actualState, expected.state(), tolerance.state());
        if (tolerance.reward() == 0) {
            assertThat(actual.reward()).as(where + " reward").isEqualTo(expected.reward());
        } else {
            assertThat(actual.reward()).as(where + " reward").isCloseTo(expected.reward(), within(tolerance.reward()));
        }
        assertThat(actual.terminated()).as(where + " terminated").isEqualTo(expected.done());
        assertThat(actual.truncated()).as(where + " truncated").isFalse();
    }

    private static void assertClose(String what, double[] actual, double[] expected, double tolerance) {
        if (tolerance == 0) {
            assertThat(actual).as(what).containsExactly(expected);
        } else {
            assertThat(actual).as(what).containsExactly(expected, within(tolerance));
        }
    }

    /** Which ending the state shows, as the generator names them, tested in BaseEnv.step's order. */
    private static String ending(Env env, double[] state) {
        int a = env.agentSize();
        double dx = state[0] - state[a];
        double dy = state[1] - state[a + 1];
        double distance = Math.sqrt(dx * dx + dy * dy);
        if (distance < GymHybrid.TARGET_RADIUS && state[2] == 0) {
            return "goal";
        }
        if (Math.abs(state[0]) > 1 || Math.abs(state[1]) > 1) {
            return "out_of_field";
        }
        return state[a + 2] > GymHybrid.MAX_STEP ? "time_out" : null;
    }

    // --- what the fixtures cover -----------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Env.class)
    void fixtureHasAllThreeEndings(Env env) {
        Fixture fixture = fixture(env);
        Map<String, List<Episode>> byEnding = fixture.episodes().stream()
                .collect(Collectors.groupingBy(Episode::ending));

        assertThat(byEnding.keySet()).containsExactlyInAnyOrder("goal", "out_of_field", "time_out");
        assertThat(byEnding.get("goal")).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(e -> assertThat(e.last().reward()).as("the +1 for stopping in the target")
                        .isGreaterThan(0.9))
                .allSatisfy(e -> assertThat(e.last().state()[2]).isZero());
        assertThat(byEnding.get("out_of_field")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.last().reward()).isEqualTo(-1.0))
                .allSatisfy(e -> assertThat(e.steps()).hasSizeLessThanOrEqualTo(201));
        // step count > max_step = 200: the time-out comes on step 201, and is done like the others
        assertThat(byEnding.get("time_out")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.steps()).hasSize(201))
                .allSatisfy(e -> assertThat(e.last().reward()).isEqualTo(-1.0))
                .allSatisfy(e -> assertThat(e.last().observation()[9]).isEqualTo(201 / 200.0));
        assertThat(fixture.episodes()).allSatisfy(e -> {
            assertThat(e.last().done()).isTrue();
            assertThat(e.steps().subList(0, e.steps().size() - 1)).noneMatch(Step::done);
        });
        assertThat(fixture.endings()).isEqualTo(byEnding.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().size())));
    }

    @ParameterizedTest
    @EnumSource(Env.class)
    void fixtureExercisesTheClampingOfParameters(Env env) {
        List<Step> steps = fixture(env).episodes().stream().flatMap(e -> e.steps().stream()).toList();
        List<Double> accelerations = steps.stream().filter(s -> s.type() == GymHybrid.ACCELERATE)
                .map(s -> s.parameters()[0]).toList();
        List<Double> rotations = steps.stream().filter(s -> s.type() == GymHybrid.TURN)
                .map(s -> s.parameters()[1]).toList();

        assertThat(accelerations).anyMatch(a -> a < 0).anyMatch(a -> a > 1)
                .contains(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)
                .anyMatch(a -> Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(-0.0));
        assertThat(rotations).anyMatch(r -> r < -1).anyMatch(r -> r > 1)
                .contains(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        assertThat(steps).anyMatch(s -> s.type() == GymHybrid.BREAK);
    }

    @Test
    void slidingFixtureHasAnAccelerationByMinusZeroThatTurnsPhi() {
        // 0.5 * max(min(-0.0, 1), 0) is -0.0 in Python; at rest with cos(phi - theta) < 0 the
        // arctan2 then gets (+-0, -0.0) and phi becomes theta +- pi (see slidingAtRestTakesPythonsSignedZero)
        int found = 0;
        for (Episode episode : fixture(Env.SLIDING).episodes()) {
            double[] before = episode.initialState();
            for (Step step : episode.steps()) {
                if (step.type() == GymHybrid.ACCELERATE && before[2] == 0
                        && Double.doubleToRawLongBits(step.parameters()[0]) == Double.doubleToRawLongBits(-0.0)
                        && Math.abs(Math.abs(step.state()[4] - step.state()[3]) - Math.PI) < 1e-15) {
                    found++;
                }
                before = step.state();
            }
        }
        assertThat(found).isGreaterThanOrEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Env.class)
    void specMatchesTheRecordedEnvironment(Env env) {
        Fixture fixture = fixture(env);
        EnvironmentSpec spec = env.make.get().spec();

        assertThat(fixture.entryPoint())
                .isEqualTo(env == Env.MOVING ? "gym_hybrid:MovingEnv" : "gym_hybrid:SlidingEnv");
        assertThat(fixture.numpyVersion()).isEqualTo("2.4.6");
        assertThat(fixture.constants()).isEqualTo(Map.of(
                "max_turn", GymHybrid.MAX_TURN,
                "max_acceleration", GymHybrid.MAX_ACCELERATION,
                "break_value", GymHybrid.BREAK_VALUE,
                "delta_t", GymHybrid.DELTA_T,
                "max_step", (double) GymHybrid.MAX_STEP,
                "field_size", GymHybrid.FIELD_SIZE,
                "target_radius", GymHybrid.TARGET_RADIUS,
                "penalty", GymHybrid.PENALTY));

        assertThat(spec.id()).isEqualTo(env.id);
        HybridSpace actions = (HybridSpace) spec.actionSpace();
        assertThat(actions.n()).isEqualTo(fixture.actionN()).isEqualTo(3);
        assertThat(actions.parameters()).isEqualTo(BoxSpace.of(fixture.parameterLow(), fixture.parameterHigh()));
        assertThat(actions.parameterMask()).isEqualTo(new boolean[][] {{true, false}, {false, true}, {false, false}});

        // Python: Box(low=ones(10), high=-ones(10)), inverted; the Java space is unbounded instead
        assertThat(fixture.declaredObservationLow()).hasSize(10).containsOnly(1.0);
        assertThat(fixture.declaredObservationHigh()).hasSize(10).containsOnly(-1.0);
        BoxSpace observations = (BoxSpace) spec.observationSpace();
        assertThat(observations.shape()).containsExactly(10);
        assertThat(observations.low()).containsOnly(Double.NEGATIVE_INFINITY);
        assertThat(observations.high()).containsOnly(Double.POSITIVE_INFINITY);

        int longest = fixture.episodes().stream().mapToInt(e -> e.steps().size()).max().orElseThrow();
        assertThat(spec.maxEpisodeSteps()).isEqualTo(GymHybrid.MAX_STEP + 1).isEqualTo(longest);
        assertThat(spec.rewardThreshold()).isNull();
    }

    // --- reset ---------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Env.class)
    void resetWithASeedIsDeterministicAndDrawsWithinTheRanges(Env env) {
        int a = env.agentSize();
        for (long seed = 0; seed < 500; seed++) {
            GymHybrid environment = env.make.get();
            double[] observation = environment.reset(seed);
            double[] state = environment.state();

            GymHybrid again = env.make.get();
            assertThat(again.reset(seed)).containsExactly(observation);
            assertThat(again.state()).containsExactly(state);

            // the target first, then the agent's x, y and direction, from SeededEnvironment's generator
            SplittableRandom random = new SplittableRandom(seed);
            double targetX = random.nextDouble(-0.9, 0.9);
            double targetY = random.nextDouble(-0.9, 0.9);
            double x = random.nextDouble(-1, 1);
            double y = random.nextDouble(-1, 1);
            double theta = random.nextDouble(0, 2 * Math.PI);
            assertThat(state[a]).isEqualTo(targetX).isBetween(-0.9, 0.9);
            assertThat(state[a + 1]).isEqualTo(targetY).isBetween(-0.9, 0.9);
            assertThat(state[0]).isEqualTo(x).isBetween(-1.0, 1.0);
            assertThat(state[1]).isEqualTo(y).isBetween(-1.0, 1.0);
            assertThat(state[3]).isEqualTo(theta).isGreaterThanOrEqualTo(0).isLessThan(2 * Math.PI);
            assertThat(state[2]).as("speed").isZero();
            assertThat(state[a + 2]).as("current_step").isZero();
            if (env == Env.SLIDING) {
                assertThat(state[4]).as("phi of a new environment").isZero();
            }

            double distance = Math.sqrt((x - targetX) * (x - targetX) + (y - targetY) * (y - targetY));
            assertThat(observation).containsExactly(x, y, 0, Math.cos(theta), Math.sin(theta), targetX, targetY,
                    distance, distance > 0.1 ? 0 : 1, 0);

            // a plain reset continues the generator
            double[] next = environment.reset();
            assertThat(environment.state()[a]).isEqualTo(random.nextDouble(-0.9, 0.9));
            assertThat(next[9]).isZero();
        }
    }

    @Test
    void slidingKeepsPhiAcrossResetsAsTheRecordingShows() {
        // In the recording one SlidingEnv ran all episodes: each started with the phi the
        // previous one ended with (consecutive seeds: none was left out of the fixture between).
        List<Episode> episodes = fixture(Env.SLIDING).episodes();
        int carried = 0;
        for (int i = 1; i < episodes.size(); i++) {
            Episode previous = episodes.get(i - 1);
            Episode episode = episodes.get(i);
            if (episode.seed() == previous.seed() + 1) {
                assertThat(episode.initialState()[4]).as(episode + " initial phi")
                        .isEqualTo(previous.last().state()[4]);
                carried += episode.initialState()[4] != 0 ? 1 : 0;
            }
        }
        assertThat(carried).isGreaterThanOrEqualTo(5);

        Sliding sliding = new Sliding();
        sliding.reset(7);
        sliding.step(new double[] {GymHybrid.ACCELERATE, 1, 0});
        sliding.step(new double[] {GymHybrid.TURN, 0, 0.5});
        sliding.step(new double[] {GymHybrid.ACCELERATE, 1, 0});
        double phi = sliding.state()[4];
        assertThat(phi).isNotZero().isNotEqualTo(sliding.state()[3]);

        sliding.reset(8);
        assertThat(sliding.state()[4]).as("phi after a reset").isEqualTo(phi);
        assertThat(sliding.state()[2]).as("speed after a reset").isZero();
        sliding.reset();
        assertThat(sliding.state()[4]).isEqualTo(phi);
        assertThat(new Sliding().reset(8)).as("phi is not in the observation").containsExactly(sliding.reset(8));
    }

    // --- the physics -----------------------------------------------------------------------------

    @Test
    void slidingKeepsItsVelocityDirectionWhenTurningMovingDoesNot() {
        // both at the origin, facing +x with speed 1, target far away
        Moving moving = new Moving();
        moving.resetToState(new double[] {0, 0, 1, 0, 0.8, 0.8, 0});
        Sliding sliding = new Sliding();
        sliding.resetToState(new double[] {0, 0, 1, 0, 0, 0.8, 0.8, 0});

        double[] turnLeft = {GymHybrid.TURN, 0, 1}; // pi/2
        moving.step(turnLeft);
        sliding.step(turnLeft);
        double[] coast = {GymHybrid.TURN, 0, 0}; // a turn by 0: one time step at the same speed
        for (int t = 0; t < 10; t++) {
            moving.step(coast);
            sliding.step(coast);
        }
        // Moving goes where it faces: up; Sliding slides on along +x while facing up
        assertThat(moving.state()[3]).isEqualTo(Math.PI / 2);
        assertThat(sliding.state()[3]).isEqualTo(Math.PI / 2);
        assertThat(moving.state()[0]).isCloseTo(0, within(1e-15));
        assertThat(moving.state()[1]).isCloseTo(11 * 0.005, within(1e-15));
        assertThat(sliding.state()[0]).isCloseTo(11 * 0.005, within(1e-15));
        assertThat(sliding.state()[1]).isZero();
        assertThat(sliding.state()[4]).as("phi").isZero();

        // accelerating adds a vector along theta to the velocity: (1, 0) + (0, 0.5)
        moving.step(new double[] {GymHybrid.ACCELERATE, 1, 0});
        sliding.step(new double[] {GymHybrid.ACCELERATE, 1, 0});
        assertThat(moving.state()[2]).isEqualTo(1.5);
        assertThat(sliding.state()[2]).isCloseTo(Math.sqrt(1.25), within(1e-15));
        assertThat(sliding.state()[4]).isCloseTo(Math.atan2(0.5, 1), within(1e-15));

        // braking to a stop points phi along theta again
        for (int t = 0; t < 12; t++) {
            sliding.step(new double[] {GymHybrid.BREAK, 0, 0});
        }
        assertThat(sliding.state()[2]).isZero();
        assertThat(sliding.state()[4]).isEqualTo(sliding.state()[3]);
    }

    @Test
    void slidingAtRestTakesPythonsSignedZero() {
        // at rest facing 0 with phi = pi: an acceleration parameter of -0.0 stays -0.0 through
        // Python's max(-0.0, 0) (Math.max would give 0.0), and arctan2(0.0, -0.0 + 0 * cos(pi)) = pi
        Sliding sliding = new Sliding();
        sliding.resetToState(new double[] {0.1, 0.2, 0, 0, Math.PI, 0.5, 0.5, 0});
        sliding.step(new double[] {GymHybrid.ACCELERATE, -0.0, 0});
        assertThat(sliding.state()).containsExactly(0.1, 0.2, 0, 0, Math.PI, 0.5, 0.5, 1);

        sliding.step(new double[] {GymHybrid.ACCELERATE, 0.0, 0});
        assertThat(sliding.state()).containsExactly(0.1, 0.2, 0, 0, 0, 0.5, 0.5, 2);
    }

    @ParameterizedTest
    @EnumSource(Env.class)
    void theTimeOutOnStep201IsATerminationTheTimeLimitAgreesWith(Env env) {
        // standing still (turning on the spot) far from the target: nothing but the step count ends it
        double[] start = env == Env.MOVING
                ? new double[] {0.5, 0.5, 0, 1, -0.5, -0.5, 0}
                : new double[] {0.5, 0.5, 0, 1, 1, -0.5, -0.5, 0};
        TimeLimit environment = new TimeLimit(env.make.get());
        environment.resetToState(start);
        for (int t = 1; t <= 200; t++) {
            StepResult result = environment.step(new double[] {GymHybrid.TURN, 0, 0.1});
            assertThat(result.done()).as("step " + t).isFalse();
            assertThat(result.reward()).isEqualTo(-GymHybrid.PENALTY);
        }
        StepResult last = environment.step(new double[] {GymHybrid.TURN, 0, 0.1});
        assertThat(last.terminated()).isTrue();
        assertThat(last.truncated()).as("TimeLimit at 201 steps, on the same step").isTrue();
        assertThat(last.reward()).isEqualTo(-1.0);
        assertThat(last.observation()[9]).isEqualTo(1.005);
    }

    @ParameterizedTest
    @EnumSource(Env.class)
    void stoppingInTheTargetIsTheGoalWithItsBonus(Env env) {
        // speed 0.05 inside the target: one brake stops it (0.05 < 0.1) after moving 0 (speed 0 at the move)
        double[] start = env == Env.MOVING
                ? new double[] {0.3, 0.3, 0.05, 0, 0.32, 0.3, 10}
                : new double[] {0.3, 0.3, 0.05, 0, 0, 0.32, 0.3, 10};
        GymHybrid environment = env.make.get();
        environment.resetToState(start);
        StepResult result = environment.step(new double[] {GymHybrid.BREAK, 0, 0});
        assertThat(result.terminated()).isTrue();
        assertThat(result.reward()).isEqualTo(1 - GymHybrid.PENALTY);
        assertThat(result.observation()[8]).as("in the target").isEqualTo(1.0);
        assertThat(result.observation()[9]).isEqualTo(11 / 200.0);
    }

    @Test
    void pythonsFloatArithmetic() {
        double twoPi = 2 * Math.PI;
        assertThat(GymHybrid.pyMod(7, twoPi)).isEqualTo(7 - twoPi);
        assertThat(GymHybrid.pyMod(-0.5, twoPi)).isEqualTo(-0.5 + twoPi);
        assertThat(GymHybrid.pyMod(-1e-17, twoPi)).as("rounds up to the divisor, as Python's").isEqualTo(twoPi);
        assertThat(Double.doubleToRawLongBits(GymHybrid.pyMod(-0.0, twoPi))).isZero();
        assertThat(Double.doubleToRawLongBits(GymHybrid.pyMax(-0.0, 0))).as("max(-0.0, 0) is -0.0")
                .isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(GymHybrid.pyMin(Double.NaN, 1)).isNaN();
        assertThat(GymHybrid.pyMin(2, 1)).isEqualTo(1);
    }

    // --- bad input -----------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Env.class)
    void badActionsAreRejected(Env env) {
        GymHybrid environment = env.make.get();
        assertThatThrownBy(() -> environment.step(new double[] {0, 0.5, 0}))
                .as("before reset").isInstanceOf(IllegalStateException.class);
        environment.reset(3);
        double[] state = environment.state();

        for (double type : new double[] {3, -1, 0.5, 2.0000001, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> environment.step(new double[] {type, 0.5, 0}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(env.id + " action type must be an integer in 0..2")
                    .hasMessageContaining(String.valueOf(type));
        }
        for (double[] action : new double[][] {{}, {1}, {1, 0.5}, {1, 0.5, 0, 0}}) {
            assertThatThrownBy(() -> environment.step(action))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must be 3 values {type, acceleration, rotation}");
        }
        assertThatThrownBy(() -> environment.step(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got null");
        assertThatThrownBy(() -> environment.step(new double[] {0, Double.NaN, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acceleration");
        assertThatThrownBy(() -> environment.step(new double[] {1, 0, Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rotation");
        assertThat(environment.state()).as("unchanged by rejected actions").containsExactly(state);

        // the parameter a type does not use is not read
        environment.step(new double[] {0, 0.5, Double.NaN});
        environment.step(new double[] {1, Double.NaN, 0.5});
        environment.step(new double[] {2, Double.NaN, Double.NaN});
        assertThat(environment.state()).doesNotContain(Double.NaN);
    }

    @ParameterizedTest
    @EnumSource(Env.class)
    void badStatesAreRejected(Env env) {
        GymHybrid environment = env.make.get();
        int size = env.agentSize() + 3;
        double[] good = new double[size];
        assertThat(environment.resetToState(good)).hasSize(10);

        assertThatThrownBy(() -> environment.resetToState(new double[size - 1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must have " + size + " values");
        assertThatThrownBy(() -> environment.resetToState(null)).isInstanceOf(IllegalArgumentException.class);
        for (int i = 0; i < size; i++) {
            double[] bad = good.clone();
            bad[i] = Double.NaN;
            assertThatThrownBy(() -> environment.resetToState(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("finite");
        }
        double[] negativeSpeed = good.clone();
        negativeSpeed[2] = -0.1;
        assertThatThrownBy(() -> environment.resetToState(negativeSpeed))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("speed");
        double[] fractionalStep = good.clone();
        fractionalStep[size - 1] = 1.5;
        assertThatThrownBy(() -> environment.resetToState(fractionalStep))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("current_step");
    }

    // --- the fixture files -------------------------------------------------------------------------

    record Step(int type, double[] parameters, double[] observation, double reward, boolean done, double[] state) {

        /** The flat action: {type, acceleration, rotation}. */
        double[] action() {
            return new double[] {type, parameters[0], parameters[1]};
        }
    }

    record Episode(long seed, String policy, String ending, double[] initialState, double[] initialObservation,
            List<Step> steps) {

        Step last() {
            return steps.get(steps.size() - 1);
        }

        @Override
        public String toString() {
            return "seed " + seed + " (" + policy + ", " + steps.size() + " steps, " + ending + ")";
        }
    }

    /** src/test/resources/fixtures/&lt;id lowercased&gt;.json, as scripts/gen_gym_hybrid_fixtures.py writes it. */
    record Fixture(String envId, String entryPoint, Map<String, String> sourceSha256, String numpyVersion,
            String gymnasiumVersion, Map<String, Double> constants, int actionN, double[] parameterLow,
            double[] parameterHigh, double[] declaredObservationLow, double[] declaredObservationHigh,
            Map<String, Integer> endings, List<Episode> episodes) {

        private static final ObjectMapper MAPPER = JsonMapper.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // Python writes inf as Infinity
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();

        static Fixture load(String envId) {
            String resource = "/fixtures/" + envId.toLowerCase(Locale.ROOT) + ".json";
            try (InputStream in = GymHybridReplayTest.class.getResourceAsStream(resource)) {
                assertThat(in).as(resource + " on the test classpath").isNotNull();
                Fixture fixture = MAPPER.readValue(in, Fixture.class);
                assertThat(fixture.envId()).isEqualTo(envId);
                return fixture;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

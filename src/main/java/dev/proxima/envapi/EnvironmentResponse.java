package dev.proxima.envapi;

import dev.proxima.env.BoxSpace;
import dev.proxima.env.DiscreteSpace;
import dev.proxima.env.EnvironmentSpec;
import dev.proxima.env.MultiDiscreteSpace;
import dev.proxima.env.Space;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Arrays;
import java.util.List;

public record EnvironmentResponse(
        String id,
        SpaceResponse observationSpace,
        SpaceResponse actionSpace,
        int maxEpisodeSteps,
        Double rewardThreshold) {

    static EnvironmentResponse of(EnvironmentSpec spec) {
        return new EnvironmentResponse(spec.id(), SpaceResponse.of(spec.observationSpace()),
                SpaceResponse.of(spec.actionSpace()), spec.maxEpisodeSteps(), spec.rewardThreshold());
    }

    /** Gymnasium's space, as JSON. */
    public record SpaceResponse(
            @Schema(description = "box, discrete or multiDiscrete") String type,
            @Schema(description = "box: the shape") int[] shape,
            @Schema(description = "box: lower bounds; null where unbounded (Gymnasium's -inf)") List<Double> low,
            @Schema(description = "box: upper bounds; null where unbounded (Gymnasium's inf)") List<Double> high,
            @Schema(description = "discrete: the number of actions") Integer n,
            @Schema(description = "multiDiscrete: the number of choices in each dimension") int[] nvec) {

        static SpaceResponse of(Space space) {
            if (space instanceof DiscreteSpace discrete) {
                return new SpaceResponse("discrete", null, null, null, discrete.n(), null);
            }
            if (space instanceof MultiDiscreteSpace multiDiscrete) {
                return new SpaceResponse("multiDiscrete", null, null, null, null, multiDiscrete.nvec());
            }
            BoxSpace box = (BoxSpace) space;
            return new SpaceResponse("box", box.shape(), bounds(box.low()), bounds(box.high()), null, null);
        }

        // JSON has no infinity: an unbounded side is null.
        private static List<Double> bounds(double[] values) {
            return Arrays.stream(values).mapToObj(v -> Double.isFinite(v) ? v : null).toList();
        }
    }
}

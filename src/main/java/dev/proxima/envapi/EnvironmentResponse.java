package dev.proxima.envapi;

import dev.proxima.env.BoxSpace;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.proxima.env.DiscreteSpace;
import dev.proxima.env.HybridSpace;
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
            @Schema(description = "box, discrete, multiDiscrete or hybrid") String type,
            @Schema(description = "box: the shape") int[] shape,
            @Schema(description = "box: lower bounds; null where unbounded (Gymnasium's -inf)") List<Double> low,
            @Schema(description = "box: upper bounds; null where unbounded (Gymnasium's inf)") List<Double> high,
            @Schema(description = "discrete: the number of actions; hybrid: the number of action types") Integer n,
            @Schema(description = "multiDiscrete: the number of choices in each dimension") int[] nvec,
            @Schema(description = "hybrid: the continuous parameters, a box") @JsonInclude(JsonInclude.Include.NON_NULL)
            SpaceResponse parameters,
            @Schema(description = "hybrid: row k flags the parameters action type k uses")
            @JsonInclude(JsonInclude.Include.NON_NULL)
            boolean[][] parameterMask) {

        public static SpaceResponse of(Space space) {
            if (space instanceof DiscreteSpace discrete) {
                return new SpaceResponse("discrete", null, null, null, discrete.n(), null, null, null);
            }
            if (space instanceof MultiDiscreteSpace multiDiscrete) {
                return new SpaceResponse("multiDiscrete", null, null, null, null, multiDiscrete.nvec(), null, null);
            }
            if (space instanceof HybridSpace hybrid) {
                return new SpaceResponse("hybrid", null, null, null, hybrid.n(), null, of(hybrid.parameters()),
                        hybrid.parameterMask());
            }
            BoxSpace box = (BoxSpace) space;
            return new SpaceResponse("box", box.shape(), bounds(box.low()), bounds(box.high()), null, null, null,
                    null);
        }

        // JSON has no infinity: an unbounded side is null.
        private static List<Double> bounds(double[] values) {
            return Arrays.stream(values).mapToObj(v -> Double.isFinite(v) ? v : null).toList();
        }
    }
}

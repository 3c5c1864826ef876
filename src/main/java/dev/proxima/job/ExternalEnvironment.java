package dev.proxima.job;

import dev.proxima.InvalidFieldException;
import dev.proxima.env.BoxSpace;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.proxima.env.DiscreteSpace;
import dev.proxima.env.HybridSpace;
import dev.proxima.env.EnvironmentSpec;
import dev.proxima.env.MultiDiscreteSpace;
import dev.proxima.env.Space;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Locale;

/**
 * An environment that runners step elsewhere (the runner protocol), described by its spaces in
 * the shapes of {@code GET /api/environments}.
 */
public record ExternalEnvironment(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "A box: what each copy observes")
        SpaceJson observationSpace,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "discrete, multiDiscrete, box or hybrid")
        SpaceJson actionSpace,
        @Schema(description = "true: every step carries each copy's action mask (Discrete and MultiDiscrete spaces, "
                + "a hybrid space's types); default false")
        Boolean actionMasks) {

    static final String ID = "external";
    static final int MAX_OBSERVATION_SIZE = 16_384;
    static final int MAX_ACTION_DIMENSIONS = 256;
    static final int MAX_CHOICES = 4096;

    /** A space as JSON: Gymnasium's Box, Discrete or MultiDiscrete. */
    public record SpaceJson(
            @Schema(description = "box, discrete or multiDiscrete", example = "box") String type,
            @Schema(description = "box: the shape") int[] shape,
            @Schema(description = "box: lower bounds, one per element; null where unbounded") List<Double> low,
            @Schema(description = "box: upper bounds, one per element; null where unbounded") List<Double> high,
            @Schema(description = "discrete: the number of actions; hybrid: the number of action types") Integer n,
            @Schema(description = "multiDiscrete: the number of choices in each dimension") int[] nvec,
            @Schema(description = "hybrid: the continuous parameters, a box with finite low and high")
            @JsonInclude(JsonInclude.Include.NON_NULL)
            SpaceJson parameters,
            @Schema(description = "hybrid: row k flags the parameters action type k uses; left out, every type "
                    + "uses every parameter") @JsonInclude(JsonInclude.Include.NON_NULL)
            boolean[][] parameterMask) {

        public SpaceJson(String type, int[] shape, List<Double> low, List<Double> high, Integer n, int[] nvec) {
            this(type, shape, low, high, n, nvec, null, null);
        }
    }

    /** The environment's spec, checked: a bad space is a 422 naming the field under {@code path}. */
    EnvironmentSpec toSpec(String path) {
        if (observationSpace == null) {
            throw new InvalidFieldException(path + ".observationSpace", "is required");
        }
        if (actionSpace == null) {
            throw new InvalidFieldException(path + ".actionSpace", "is required");
        }
        Space observations = space(observationSpace, path + ".observationSpace", false);
        if (!(observations instanceof BoxSpace box) || box.flatSize() > MAX_OBSERVATION_SIZE) {
            throw new InvalidFieldException(path + ".observationSpace.type",
                    "observations must be a box of at most " + MAX_OBSERVATION_SIZE
                            + " elements (map others to one, as the Python client does)");
        }
        Space actions = space(actionSpace, path + ".actionSpace", true);
        if (masked() && actions instanceof BoxSpace) {
            throw new InvalidFieldException(path + ".actionMasks", "a box action space has no action masks");
        }
        return new EnvironmentSpec(ID, observations, actions, 0, null);
    }

    boolean masked() {
        return Boolean.TRUE.equals(actionMasks);
    }

    private static Space space(SpaceJson json, String path, boolean action) {
        String type = json.type() == null ? "" : json.type().toLowerCase(Locale.ROOT);
        if (!"hybrid".equals(type)) {
            only(json.parameters() == null && json.parameterMask() == null, path,
                    "parameters and parameterMask belong to a hybrid space");
        }
        switch (type) {
            case "hybrid" -> {
                return hybrid(json, path, action);
            }
            case "discrete" -> {
                only(json.shape() == null && json.low() == null && json.high() == null && json.nvec() == null, path,
                        "a discrete space has only n");
                if (!action) {
                    throw new InvalidFieldException(path + ".type", "observations must be a box");
                }
                if (json.n() == null || json.n() < 1 || json.n() > MAX_CHOICES) {
                    throw new InvalidFieldException(path + ".n", "must be in [1, " + MAX_CHOICES + "], was " + json.n());
                }
                return new DiscreteSpace(json.n());
            }
            case "multidiscrete" -> {
                only(json.shape() == null && json.low() == null && json.high() == null && json.n() == null, path,
                        "a multiDiscrete space has only nvec");
                if (!action) {
                    throw new InvalidFieldException(path + ".type", "observations must be a box");
                }
                int[] nvec = json.nvec();
                if (nvec == null || nvec.length < 1 || nvec.length > MAX_ACTION_DIMENSIONS) {
                    throw new InvalidFieldException(path + ".nvec", "must list 1 to " + MAX_ACTION_DIMENSIONS + " dimensions");
                }
                for (int i = 0; i < nvec.length; i++) {
                    if (nvec[i] < 1 || nvec[i] > MAX_CHOICES) {
                        throw new InvalidFieldException(path + ".nvec[" + i + "]",
                                "must be in [1, " + MAX_CHOICES + "], was " + nvec[i]);
                    }
                }
                return new MultiDiscreteSpace(nvec);
            }
            case "box" -> {
                only(json.n() == null && json.nvec() == null, path, "a box space has shape, low and high");
                return box(json, path, action);
            }
            default -> throw new InvalidFieldException(path + ".type",
                    "must be box, discrete, multiDiscrete or hybrid, was '" + json.type() + "'");
        }
    }

    /** A discrete action type with continuous parameters: n, a parameters box, and which type uses which. */
    private static HybridSpace hybrid(SpaceJson json, String path, boolean action) {
        only(json.shape() == null && json.low() == null && json.high() == null && json.nvec() == null, path,
                "a hybrid space has n, parameters and parameterMask");
        if (!action) {
            throw new InvalidFieldException(path + ".type", "observations must be a box");
        }
        if (json.n() == null || json.n() < 1 || json.n() > MAX_CHOICES) {
            throw new InvalidFieldException(path + ".n", "must be in [1, " + MAX_CHOICES + "], was " + json.n());
        }
        SpaceJson parameters = json.parameters();
        if (parameters == null) {
            throw new InvalidFieldException(path + ".parameters", "is required: a box {low, high}");
        }
        if (parameters.n() != null || parameters.nvec() != null || parameters.parameters() != null
                || parameters.parameterMask() != null
                || (parameters.type() != null && !"box".equalsIgnoreCase(parameters.type()))) {
            throw new InvalidFieldException(path + ".parameters", "must be a box: low, high (and optionally shape)");
        }
        int count = parameters.low() == null ? 0 : parameters.low().size();
        SpaceJson box = parameters.shape() != null ? parameters
                : new SpaceJson("box", new int[] {count}, parameters.low(), parameters.high(), null, null);
        if (count == 0 && parameters.shape() == null) {
            throw new InvalidFieldException(path + ".parameters.low", "must list at least one bound");
        }
        BoxSpace bounds = box(box, path + ".parameters", true);
        int m = bounds.flatSize();
        boolean[][] mask = json.parameterMask();
        if (mask == null) {
            mask = new boolean[json.n()][m];
            for (boolean[] row : mask) {
                java.util.Arrays.fill(row, true);
            }
        }
        if (mask.length != json.n()) {
            throw new InvalidFieldException(path + ".parameterMask", "must have " + json.n()
                    + " rows (one per action type), had " + mask.length);
        }
        for (int k = 0; k < mask.length; k++) {
            if (mask[k] == null || mask[k].length != m) {
                throw new InvalidFieldException(path + ".parameterMask[" + k + "]", "must have " + m
                        + " flags (one per parameter)");
            }
        }
        return new HybridSpace(json.n(), BoxSpace.of(bounds.low(), bounds.high()), mask);
    }

    private static BoxSpace box(SpaceJson json, String path, boolean action) {
        int[] shape = json.shape();
        if (shape == null || shape.length == 0 || shape.length > 8) {
            throw new InvalidFieldException(path + ".shape", "must list 1 to 8 dimensions");
        }
        long size = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 1) {
                throw new InvalidFieldException(path + ".shape[" + i + "]", "must be >= 1, was " + shape[i]);
            }
            size *= shape[i];
            if (size > MAX_OBSERVATION_SIZE) {
                throw new InvalidFieldException(path + ".shape", "must hold at most " + MAX_OBSERVATION_SIZE + " elements");
            }
        }
        if (action && size > MAX_ACTION_DIMENSIONS) {
            throw new InvalidFieldException(path + ".shape", "an action box holds at most " + MAX_ACTION_DIMENSIONS
                    + " elements, was " + size);
        }
        double[] low = bounds(json.low(), (int) size, path + ".low", Double.NEGATIVE_INFINITY, action);
        double[] high = bounds(json.high(), (int) size, path + ".high", Double.POSITIVE_INFINITY, action);
        for (int i = 0; i < size; i++) {
            if (!(low[i] < high[i])) {
                throw new InvalidFieldException(path + ".high[" + i + "]",
                        "must be greater than low[" + i + "] (" + low[i] + "), was " + high[i]);
            }
        }
        return new BoxSpace(shape, low, high);
    }

    private static double[] bounds(List<Double> values, int size, String path, double unbounded, boolean action) {
        if (values == null || values.size() != size) {
            throw new InvalidFieldException(path, "must list " + size + " bounds (one per element), was "
                    + (values == null ? "missing" : values.size()));
        }
        double[] bounds = new double[size];
        for (int i = 0; i < size; i++) {
            Double value = values.get(i);
            if (value == null || Double.isInfinite(value)) {
                if (action) {
                    throw new InvalidFieldException(path + "[" + i + "]", "an action box needs finite bounds");
                }
                bounds[i] = unbounded;
            } else if (Double.isNaN(value)) {
                throw new InvalidFieldException(path + "[" + i + "]", "must be a number");
            } else {
                bounds[i] = value;
            }
        }
        return bounds;
    }

    private static void only(boolean ok, String path, String message) {
        if (!ok) {
            throw new InvalidFieldException(path, message);
        }
    }
}

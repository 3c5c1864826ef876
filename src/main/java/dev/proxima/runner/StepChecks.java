package dev.proxima.runner;

import dev.proxima.InvalidFieldException;
import dev.proxima.env.Actions;
import dev.proxima.env.EnvironmentSpec;
import dev.proxima.vecenv.ExternalVecEnv;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Checks a step body against the job's spaces and the runner's number of copies; a bad one is a 422 naming the field. */
final class StepChecks {

    private StepChecks() {
    }

    static ExternalVecEnv.Delivery delivery(RunnerMessages.StepRequest step, EnvironmentSpec spec, int copies,
            boolean masked) {
        if (step.sequence() == null) {
            throw new InvalidFieldException("sequence", "is required");
        }
        if (step.sequence() < 0) {
            throw new InvalidFieldException("sequence", "must be >= 0, was " + step.sequence());
        }
        int observationSize = spec.observationSpace().flatSize();
        double[][] observations = rows("observations", step.observations(), copies, observationSize);
        boolean first = step.sequence() == 0;
        double[] rewards = null;
        boolean[] terminated = null;
        boolean[] truncated = null;
        double[][] finals = new double[copies][];
        if (first) {
            for (var field : Map.of("rewards", step.rewards() == null, "terminated", step.terminated() == null,
                    "truncated", step.truncated() == null, "finalObservations", step.finalObservations() == null).entrySet()) {
                if (!field.getValue()) {
                    throw new InvalidFieldException(field.getKey(),
                            "sequence 0 carries only the observations after reset; leave it out");
                }
            }
        } else {
            rewards = numbers("rewards", step.rewards(), copies);
            terminated = flags("terminated", step.terminated(), copies);
            truncated = flags("truncated", step.truncated(), copies);
            finals = finalObservations(step.finalObservations(), terminated, truncated, copies, observationSize);
        }
        boolean[][] masks = masks(step.actionMasks(), spec, copies, masked);
        return new ExternalVecEnv.Delivery(step.sequence(), observations, rewards, terminated, truncated, finals, masks);
    }

    private static double[][] rows(String field, List<List<Double>> rows, int copies, int size) {
        if (rows == null) {
            throw new InvalidFieldException(field, "is required: one observation per copy (" + copies + ")");
        }
        if (rows.size() != copies) {
            throw new InvalidFieldException(field, "must hold one observation per copy (" + copies + "), had "
                    + rows.size());
        }
        double[][] values = new double[copies][];
        for (int i = 0; i < copies; i++) {
            values[i] = row(field + "[" + i + "]", rows.get(i), size);
        }
        return values;
    }

    private static double[] row(String field, List<Double> row, int size) {
        if (row == null || row.size() != size) {
            throw new InvalidFieldException(field, "must hold " + size + " numbers (the observation space's size), had "
                    + (row == null ? "none" : row.size()));
        }
        double[] values = new double[size];
        for (int j = 0; j < size; j++) {
            Double value = row.get(j);
            if (value == null || !Double.isFinite(value)) {
                throw new InvalidFieldException(field + "[" + j + "]", "must be a finite number, was " + value);
            }
            values[j] = value;
        }
        return values;
    }

    private static double[] numbers(String field, List<Double> values, int copies) {
        if (values == null || values.size() != copies) {
            throw new InvalidFieldException(field, "must hold one value per copy (" + copies + "), had "
                    + (values == null ? "none" : values.size()));
        }
        double[] result = new double[copies];
        for (int i = 0; i < copies; i++) {
            Double value = values.get(i);
            if (value == null || !Double.isFinite(value)) {
                throw new InvalidFieldException(field + "[" + i + "]", "must be a finite number, was " + value);
            }
            result[i] = value;
        }
        return result;
    }

    private static boolean[] flags(String field, List<Boolean> values, int copies) {
        if (values == null || values.size() != copies) {
            throw new InvalidFieldException(field, "must hold one flag per copy (" + copies + "), had "
                    + (values == null ? "none" : values.size()));
        }
        boolean[] result = new boolean[copies];
        for (int i = 0; i < copies; i++) {
            if (values.get(i) == null) {
                throw new InvalidFieldException(field + "[" + i + "]", "must be true or false");
            }
            result[i] = values.get(i);
        }
        return result;
    }

    private static double[][] finalObservations(Map<String, List<Double>> given, boolean[] terminated,
            boolean[] truncated, int copies, int size) {
        double[][] finals = new double[copies][];
        if (given != null) {
            for (var entry : given.entrySet()) {
                String field = "finalObservations." + entry.getKey();
                int copy;
                try {
                    copy = Integer.parseInt(entry.getKey());
                } catch (NumberFormatException e) {
                    throw new InvalidFieldException(field, "keys are copy indices 0.." + (copies - 1));
                }
                if (copy < 0 || copy >= copies) {
                    throw new InvalidFieldException(field, "keys are copy indices 0.." + (copies - 1));
                }
                if (!terminated[copy] && !truncated[copy]) {
                    throw new InvalidFieldException(field, "copy " + copy + "'s episode did not end in this step");
                }
                finals[copy] = row(field, entry.getValue(), size);
            }
        }
        for (int i = 0; i < copies; i++) {
            if (truncated[i] && !terminated[i] && finals[i] == null) {
                throw new InvalidFieldException("finalObservations." + i, "is required: copy " + i
                        + " was truncated, and its last observation is what the critic bootstraps from");
            }
        }
        return finals;
    }

    private static boolean[][] masks(List<List<Boolean>> masks, EnvironmentSpec spec, int copies, boolean masked) {
        if (!masked) {
            if (masks != null) {
                throw new InvalidFieldException("actionMasks", "this job has no action masks (actionMasks: false)");
            }
            return null;
        }
        int[] groups = Actions.maskGroups(spec.actionSpace());
        int size = Arrays.stream(groups).sum();
        if (masks == null || masks.size() != copies) {
            throw new InvalidFieldException("actionMasks", "must hold one mask per copy (" + copies + "), had "
                    + (masks == null ? "none" : masks.size()));
        }
        boolean[][] result = new boolean[copies][];
        for (int i = 0; i < copies; i++) {
            String field = "actionMasks[" + i + "]";
            List<Boolean> mask = masks.get(i);
            if (mask == null || mask.size() != size) {
                throw new InvalidFieldException(field, "must have " + size + " flags");
            }
            result[i] = new boolean[size];
            for (int j = 0; j < size; j++) {
                if (mask.get(j) == null) {
                    throw new InvalidFieldException(field + "[" + j + "]", "must be true or false");
                }
                result[i][j] = mask.get(j);
            }
            int empty = Actions.firstDimensionAllowingNothing(result[i], groups);
            if (empty >= 0) {
                throw new InvalidFieldException(field, Actions.allowsNothing(groups, empty));
            }
        }
        return result;
    }
}

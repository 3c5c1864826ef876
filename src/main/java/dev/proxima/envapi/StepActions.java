package dev.proxima.envapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.InvalidFieldException;
import dev.proxima.env.MultiDiscreteSpace;
import dev.proxima.env.Space;

/**
 * A step request's {@code action} as the flat vector an environment takes. Discrete and Box
 * actions are range-checked by the environment itself; a MultiDiscrete action is checked here so
 * that the problem names the offending element.
 */
final class StepActions {

    private StepActions() {
    }

    static double[] parse(JsonNode node, Space actionSpace) {
        if (node == null || node.isNull()) {
            throw new InvalidFieldException("action", "is required");
        }
        if (actionSpace instanceof MultiDiscreteSpace multiDiscrete) {
            return multiDiscrete(node, multiDiscrete);
        }
        if (node.isNumber()) {
            return new double[] {node.asDouble()};
        }
        if (node.isArray()) {
            return numbers(node);
        }
        throw new InvalidFieldException("action", "must be a number or an array of numbers");
    }

    private static double[] multiDiscrete(JsonNode node, MultiDiscreteSpace space) {
        if (!node.isArray() || node.size() != space.flatSize()) {
            throw new InvalidFieldException("action", "must be an array of " + space.flatSize() + " integers, one per "
                    + "dimension of " + space);
        }
        double[] action = numbers(node);
        for (int i = 0; i < action.length; i++) {
            if (!space.allows(i, action[i])) {
                throw new InvalidFieldException("action[" + i + "]",
                        "must be an integer in 0.." + (space.n(i) - 1) + ", was " + node.get(i));
            }
        }
        return action;
    }

    private static double[] numbers(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            if (!array.get(i).isNumber()) {
                throw new InvalidFieldException("action[" + i + "]", "must be a number");
            }
            values[i] = array.get(i).asDouble();
        }
        return values;
    }
}

package dev.proxima.envapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.InvalidFieldException;
import dev.proxima.env.DiscreteSpace;
import dev.proxima.env.HybridSpace;
import dev.proxima.env.MultiDiscreteSpace;
import dev.proxima.env.Space;

/**
 * A step request's {@code action} as the flat vector an environment takes, in the JSON type its
 * space has (an integer, an array of numbers, integers per dimension, or a hybrid object).
 * Discrete and Box actions are range-checked by the environment itself; a MultiDiscrete action is checked here so
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
        if (actionSpace instanceof HybridSpace hybrid) {
            return hybrid(node, hybrid);
        }
        if (actionSpace instanceof DiscreteSpace) {
            // one integer, as /act answers it: not [1], not 1.0 or "1"
            if (!node.isIntegralNumber()) {
                throw new InvalidFieldException("action", "must be an integer (a Discrete action), was " + node);
            }
            return new double[] {node.asDouble()};
        }
        if (!node.isArray()) {
            throw new InvalidFieldException("action", "must be an array of numbers (a Box action), was " + node);
        }
        return numbers(node);
    }

    private static double[] multiDiscrete(JsonNode node, MultiDiscreteSpace space) {
        if (!node.isArray() || node.size() != space.flatSize()) {
            throw new InvalidFieldException("action", "must be an array of " + space.flatSize() + " integers, one per "
                    + "dimension of " + space);
        }
        double[] action = numbers(node);
        for (int i = 0; i < action.length; i++) {
            if (!node.get(i).isIntegralNumber() || !space.allows(i, action[i])) {
                throw new InvalidFieldException("action[" + i + "]",
                        "must be an integer in 0.." + (space.n(i) - 1) + ", was " + node.get(i));
            }
        }
        return action;
    }

    /** {"type": k, "parameters": [p_1..p_m]}: every parameter given, the type's own read by the environment. */
    private static double[] hybrid(JsonNode node, HybridSpace space) {
        if (!node.isObject()) {
            throw new InvalidFieldException("action", "must be an object {\"type\": k, \"parameters\": [..]} for "
                    + space);
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isIntegralNumber() || !space.allowsType(type.asDouble())) {
            throw new InvalidFieldException("action.type", "must be an integer in 0.." + (space.n() - 1) + ", was "
                    + type);
        }
        JsonNode parameters = node.get("parameters");
        if (parameters == null || !parameters.isArray() || parameters.size() != space.parameterCount()) {
            throw new InvalidFieldException("action.parameters", "must be an array of " + space.parameterCount()
                    + " numbers (every parameter; the type uses those its parameterMask row marks)");
        }
        double[] action = new double[space.flatSize()];
        action[0] = type.asDouble();
        for (int i = 0; i < space.parameterCount(); i++) {
            JsonNode value = parameters.get(i);
            if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
                throw new InvalidFieldException("action.parameters[" + i + "]", "must be a finite number");
            }
            action[1 + i] = value.asDouble();
        }
        space.clip(action, 0);
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

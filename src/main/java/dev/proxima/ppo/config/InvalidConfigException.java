package dev.proxima.ppo.config;

/** A hyperparameter with a value PPO cannot train with; {@code field} names it as the API spells it. */
public class InvalidConfigException extends IllegalArgumentException {

    private final String field;
    private final String reason;

    public InvalidConfigException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
        this.reason = message;
    }

    public String field() {
        return field;
    }

    /** What is wrong with the value, without the field's name. */
    public String reason() {
        return reason;
    }
}

package dev.proxima.ppo.config;

/** A hyperparameter with a value PPO cannot train with; {@code field} names it as the API spells it. */
public class InvalidConfigException extends IllegalArgumentException {

    private final String field;

    public InvalidConfigException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /** The same error with the field named relative to an enclosing object. */
    public InvalidConfigException under(String parent) {
        return new InvalidConfigException(parent + "." + field, getMessage().substring(field.length() + 2));
    }
}

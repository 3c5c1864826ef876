package dev.proxima.env;

/** Thrown when an environment id is not in the {@link EnvironmentRegistry}. */
public class UnknownEnvironmentException extends RuntimeException {

    private final String id;

    public UnknownEnvironmentException(String id) {
        super("Unknown environment: " + id);
        this.id = id;
    }

    public String id() {
        return id;
    }
}

package dev.proxima.access;

import java.util.Arrays;
import java.util.Optional;

/** What an API key may do. */
public enum Scope {
    /** Keys, and every owner's jobs, policies and sessions. */
    ADMIN,
    /** Submit, follow, cancel and delete one's own jobs; act with their policies; environment sessions. */
    TRAIN,
    /** Only /act, with one's own policies. */
    ACT;

    /** As the API spells it: lower case. */
    public String id() {
        return name().toLowerCase();
    }

    /** The authority Spring Security checks: {@code SCOPE_admin}, ... */
    public String authority() {
        return "SCOPE_" + id();
    }

    public static Optional<Scope> parse(String id) {
        return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst();
    }
}

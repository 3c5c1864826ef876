package dev.proxima.envapi;

/** All environment sessions are in use (answered 429). */
public class SessionLimitException extends RuntimeException {

    public SessionLimitException(int max) {
        super("at most " + max + " environment sessions may be open; close one (DELETE) or wait for an idle one "
                + "to expire");
    }
}

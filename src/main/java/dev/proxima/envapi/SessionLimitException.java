package dev.proxima.envapi;

import dev.proxima.ProblemException;
import org.springframework.http.HttpStatus;

/** All environment sessions, or all of one owner's, are in use (answered 429 with Retry-After). */
public class SessionLimitException extends ProblemException {

    private SessionLimitException(String detail) {
        super(HttpStatus.TOO_MANY_REQUESTS, "Too many sessions", detail);
        retryLater();
    }

    static SessionLimitException service(int max) {
        return new SessionLimitException("at most " + max + " environment sessions may be open; close one (DELETE) "
                + "or wait for an idle one to expire");
    }

    static SessionLimitException owner(String owner, int max) {
        return new SessionLimitException("owner " + owner + " has " + max + " environment sessions open, the quota "
                + "(proxima.quotas.sessions-per-owner); close one (DELETE) or wait for an idle one to expire");
    }
}

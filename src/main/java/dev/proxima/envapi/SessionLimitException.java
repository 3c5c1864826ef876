package dev.proxima.envapi;

import dev.proxima.ProblemException;
import org.springframework.http.HttpStatus;

/** All environment sessions are in use (answered 429 with Retry-After). */
public class SessionLimitException extends ProblemException {

    public SessionLimitException(int max) {
        super(HttpStatus.TOO_MANY_REQUESTS, "Too many sessions", "at most " + max + " environment sessions may be "
                + "open; close one (DELETE) or wait for an idle one to expire");
        retryLater();
    }
}

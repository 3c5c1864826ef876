package dev.proxima.envapi;

import java.util.UUID;

public class SessionNotFoundException extends RuntimeException {

    public SessionNotFoundException(UUID id) {
        super("no environment session with id " + id + " (closed or expired)");
    }
}

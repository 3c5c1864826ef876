package dev.proxima.envapi;

import dev.proxima.ProblemException;
import java.util.UUID;
import org.springframework.http.HttpStatus;

public class SessionNotFoundException extends ProblemException {

    public SessionNotFoundException(UUID id) {
        super(HttpStatus.NOT_FOUND, "Not found", "no environment session with id " + id + " (closed or expired)");
    }
}

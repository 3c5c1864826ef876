package dev.proxima.job;

import dev.proxima.ProblemException;
import java.util.UUID;
import org.springframework.http.HttpStatus;

public class JobNotFoundException extends ProblemException {

    public JobNotFoundException(UUID id) {
        super(HttpStatus.NOT_FOUND, "Not found", "no job with id " + id);
    }
}

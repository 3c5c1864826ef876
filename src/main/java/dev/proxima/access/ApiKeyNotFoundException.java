package dev.proxima.access;

import dev.proxima.ProblemException;
import org.springframework.http.HttpStatus;

class ApiKeyNotFoundException extends ProblemException {

    ApiKeyNotFoundException(String id) {
        super(HttpStatus.NOT_FOUND, "Not found", "no API key with id " + id);
    }
}

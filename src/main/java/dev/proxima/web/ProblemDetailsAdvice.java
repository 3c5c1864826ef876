package dev.proxima.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.proxima.InvalidFieldException;
import dev.proxima.env.UnknownEnvironmentException;
import dev.proxima.ppo.config.InvalidConfigException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageConversionException;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as an RFC 7807 problem detail. Field errors carry a {@code field} property with
 * the JSON path of the offending value ({@code hyperparameters.batchSize}, {@code observation[2]}).
 * The features' exceptions carry their own problem ({@link dev.proxima.ProblemException}) and are
 * rendered by {@link ResponseEntityExceptionHandler}; this class maps what Spring, Jackson and the
 * training core raise.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);
    private static final URI MALFORMED_REQUEST = URI.create("/problems/malformed-request");

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "another type" : e.getRequiredType().getSimpleName();
        return fieldProblem(HttpStatus.BAD_REQUEST, e.getName(), "'" + e.getValue() + "' is not a valid " + expected);
    }

    /** The core knows nothing of HTTP: its one lookup error is mapped here. */
    @ExceptionHandler(UnknownEnvironmentException.class)
    ProblemDetail unknownEnvironment(UnknownEnvironmentException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("Not found");
        return problem;
    }

    /**
     * Jackson reports some wrong types in a body as a definition error (a string where a
     * primitive array belongs: "no String-argument constructor"), which Spring passes on as a
     * conversion error, not an unreadable body: with a path into the body, it is the client's 400.
     */
    @ExceptionHandler(HttpMessageConversionException.class)
    ProblemDetail conversion(HttpMessageConversionException e) {
        InvalidDefinitionException definition = find(e, InvalidDefinitionException.class);
        if (definition == null || path(definition).isEmpty()) {
            return unexpected(e);
        }
        ProblemDetail problem = fieldProblem(HttpStatus.BAD_REQUEST, path(definition), "has the wrong type: "
                + definition.getOriginalMessage().lines().findFirst().orElse(""));
        problem.setType(MALFORMED_REQUEST);
        return problem;
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        log.error("unexpected error", e);
        return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "internal error");
    }

    /** A body field outside a declared constraint (Bean Validation): 422 naming the field by its path. */
    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        FieldError error = e.getBindingResult().getFieldError();
        if (error == null) {
            return super.handleMethodArgumentNotValid(e, headers, status, request);
        }
        return ResponseEntity.unprocessableEntity()
                .body(fieldProblem(HttpStatus.UNPROCESSABLE_ENTITY, error.getField(), error.getDefaultMessage()));
    }

    /** Unreadable bodies: bad JSON is 400, a value that parses but is out of range is 422. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem;
        BodySizeLimit.TooLarge tooLarge = find(e, BodySizeLimit.TooLarge.class);
        if (tooLarge != null) {
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.PAYLOAD_TOO_LARGE, tooLarge.getMessage());
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(problem);
        }
        InvalidConfigException invalid = find(e, InvalidConfigException.class);
        JsonMappingException mapping = find(e, JsonMappingException.class);
        JsonParseException parse = find(e, JsonParseException.class);
        if (parse != null) {
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "malformed JSON: " + parse.getOriginalMessage().lines().findFirst().orElse(""));
            problem.setTitle("Malformed request");
            problem.setType(MALFORMED_REQUEST);
        } else if (invalid != null) {
            String parent = mapping == null ? "" : path(mapping);
            String field = parent.isEmpty() ? invalid.field() : parent + "." + invalid.field();
            problem = fieldProblem(HttpStatus.UNPROCESSABLE_ENTITY, field, invalid.reason());
        } else if (mapping instanceof UnrecognizedPropertyException unknown) {
            problem = fieldProblem(HttpStatus.BAD_REQUEST, path(unknown),
                    "unknown field '" + unknown.getPropertyName() + "'");
            problem.setType(MALFORMED_REQUEST);
        } else if (mapping != null && !path(mapping).isEmpty()) {
            problem = fieldProblem(HttpStatus.BAD_REQUEST, path(mapping), "has the wrong type or format: "
                    + mapping.getOriginalMessage().lines().findFirst().orElse(""));
            problem.setType(MALFORMED_REQUEST);
        } else {
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "the request body is missing or unreadable");
            problem.setTitle("Malformed request");
            problem.setType(MALFORMED_REQUEST);
        }
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    private static ProblemDetail fieldProblem(HttpStatus status, String field, String detail) {
        return InvalidFieldException.problem(status, field, detail);
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }
}

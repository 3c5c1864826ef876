package dev.proxima;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** A request field with a value the service cannot accept; answered 422 naming the field. */
public class InvalidFieldException extends ProblemException {

    static final URI TYPE = URI.create("/problems/invalid-field");
    static final String TITLE = "Invalid field";

    private final String field;

    public InvalidFieldException(String field, String message) {
        super(HttpStatus.UNPROCESSABLE_ENTITY, TITLE, field + ": " + message);
        this.field = field;
        describe(getBody(), field);
    }

    public String field() {
        return field;
    }

    /**
     * A field problem for errors Spring or Jackson raise (a wrong type, an unknown field): the
     * same body as an InvalidFieldException's, with a {@code field} property holding the JSON path.
     */
    public static ProblemDetail problem(HttpStatus status, String field, String message) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, field + ": " + message);
        problem.setTitle(TITLE);
        describe(problem, field);
        return problem;
    }

    private static void describe(ProblemDetail problem, String field) {
        problem.setType(TYPE);
        problem.setProperty("field", field);
    }
}

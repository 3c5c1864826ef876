package dev.proxima;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An error that carries the RFC 7807 problem it is answered with: its status, title and detail.
 * Spring MVC renders it as it is, so the web layer needs no handler per feature exception.
 */
public class ProblemException extends ErrorResponseException {

    /** What a 429 suggests waiting, in seconds. */
    private static final String RETRY_AFTER_SECONDS = "60";

    protected ProblemException(HttpStatus status, String title, String detail) {
        super(status, problem(status, title, detail), null);
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }

    /** Asks the client to retry later (a 429's Retry-After). */
    protected final void retryLater() {
        getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
    }

    /** The problem's detail, for logs (ErrorResponseException's message is the whole problem). */
    @Override
    public String getMessage() {
        return getBody().getDetail();
    }
}

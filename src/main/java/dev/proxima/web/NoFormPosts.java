package dev.proxima.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Cross-site request forgery cannot act: a page on another site can make a browser send only
 * the "simple" requests of HTML forms (form-urlencoded, multipart or text/plain bodies) without
 * asking this service first (CORS preflight, which it never grants). A state-changing request
 * with one of those content types is a 415 problem before anything runs; the API takes JSON, or
 * no body at all.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class NoFormPosts extends OncePerRequestFilter {

    private static final Set<String> CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> FORM_TYPES = Set.of("application/x-www-form-urlencoded", "multipart/form-data",
            "text/plain");

    private final ObjectMapper json;

    NoFormPosts(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String type = request.getContentType();
        if (type != null && CHANGING.contains(request.getMethod())
                && FORM_TYPES.contains(type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))) {
            response.setStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE.value());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            json.writeValue(response.getOutputStream(), ProblemDetail.forStatusAndDetail(
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE, "the API takes application/json (or no body), not "
                            + type.split(";", 2)[0].trim() + ": an HTML form cannot call it"));
            return;
        }
        chain.doFilter(request, response);
    }
}

package dev.proxima.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Cross-site request forgery cannot act. A page on another site can make a browser send, without
 * asking this service first (CORS preflight, which it never grants), only "simple" requests: an
 * HTML form's (form-urlencoded, multipart or text/plain bodies), or a bodiless fetch or beacon.
 * Before anything runs, a state-changing request is refused
 * <ul>
 * <li>with a 415 problem when its body has one of those content types (the API takes JSON, or no body);
 * <li>with a 403 problem when the browser marks it as sent from another site
 * ({@code Sec-Fetch-Site: cross-site}) or its {@code Origin} is not this service's own.
 * </ul>
 * Clients that are not browsers (curl, the Python client, runners) send neither header.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class CrossSiteRequests extends OncePerRequestFilter {

    private static final Set<String> CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> FORM_TYPES = Set.of("application/x-www-form-urlencoded", "multipart/form-data",
            "text/plain");

    private final ObjectMapper json;

    CrossSiteRequests(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!CHANGING.contains(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        String type = request.getContentType();
        if (type != null && FORM_TYPES.contains(type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))) {
            refuse(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "the API takes application/json (or no body), not "
                    + type.split(";", 2)[0].trim() + ": an HTML form cannot call it");
            return;
        }
        if ("cross-site".equalsIgnoreCase(request.getHeader("Sec-Fetch-Site")) || foreignOrigin(request)) {
            refuse(response, HttpStatus.FORBIDDEN, "a request from another site's page (Origin "
                    + request.getHeader("Origin") + ") cannot change anything here");
            return;
        }
        chain.doFilter(request, response);
    }

    /** Whether an Origin header names another host or port than the one the request was sent to. */
    private static boolean foreignOrigin(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return false;
        }
        try {
            URI uri = new URI(origin);
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            return uri.getHost() == null || !uri.getHost().equalsIgnoreCase(request.getServerName())
                    || port != request.getServerPort();
        } catch (URISyntaxException e) {
            return true;
        }
    }

    private void refuse(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        ProblemWriter.write(response, json, status, detail);
    }
}

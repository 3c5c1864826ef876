package dev.proxima.access;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads {@code Authorization: Bearer <key>}. No Authorization header: anonymous (the rules then
 * answer 401); any other scheme, a malformed or a repeated header: a 401 at once.
 */
class BearerKeyConverter implements AuthenticationConverter {

    private static final String BEARER = "bearer ";

    @Override
    public Authentication convert(HttpServletRequest request) {
        var headers = Collections.list(request.getHeaders(HttpHeaders.AUTHORIZATION));
        if (headers.isEmpty()) {
            return null;
        }
        if (headers.size() > 1) {
            throw new BadCredentialsException("send one Authorization header");
        }
        String header = headers.get(0).strip();
        if (header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new BadCredentialsException("the Authorization header must be 'Bearer <API key>'");
        }
        return ApiKeyAuthentication.unauthenticated(header.substring(BEARER.length()).strip());
    }
}

package dev.proxima.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's own error responses (a path it refuses, such as an encoded slash or NUL, a header too
 * large) as RFC 7807 problem details instead of its HTML error page. Installed as the host's
 * error report valve by {@link TomcatErrors}.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    /** Tomcat creates the valve by its class name, outside Spring: a mapper of its own. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String reason = response.getMessage() == null || response.getMessage().isBlank()
                ? "the request was refused" : response.getMessage();
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title(status));
        problem.put("status", status);
        problem.put("detail", reason);
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                JSON.writeValue(writer, problem);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone, or the response went out already: nothing more to say
        }
        response.getCoyoteResponse().action(ActionCode.CLOSE, null);
    }

    private static String title(int status) {
        org.springframework.http.HttpStatus known = org.springframework.http.HttpStatus.resolve(status);
        return known == null ? "Error" : known.getReasonPhrase();
    }
}

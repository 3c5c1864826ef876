package dev.proxima.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * {@link Api} for slice tests: the same calls and answers (status, headers, JSON body), served by
 * MockMvc instead of a running server.
 */
public final class MvcApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final MockMvc mvc;
    private final String key;

    /** Sends {@link Api#ADMIN_KEY}, which slice tests accept through {@code access.SliceSecurity}. */
    public MvcApi(MockMvc mvc) {
        this(mvc, Api.ADMIN_KEY);
    }

    public MvcApi(MockMvc mvc, String key) {
        this.mvc = mvc;
        this.key = key;
    }

    public record Response(int status, JsonNode body, MockHttpServletResponse raw) {
        public String header(String name) {
            return raw.getHeader(name);
        }
    }

    public Response get(String path) {
        return send(MockMvcRequestBuilders.get(path));
    }

    public Response delete(String path) {
        return send(MockMvcRequestBuilders.delete(path));
    }

    public Response post(String path, String json) {
        return send(MockMvcRequestBuilders.post(path).contentType(MediaType.APPLICATION_JSON).content(json));
    }

    public Response post(String path, Object body) {
        try {
            return post(path, JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Response send(MockHttpServletRequestBuilder request) {
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        try {
            MockHttpServletResponse response = mvc.perform(request).andReturn().getResponse();
            String text = response.getContentAsString(StandardCharsets.UTF_8);
            String type = response.getContentType() == null ? "" : response.getContentType();
            JsonNode body = !type.contains("json") || text.isBlank() ? null : JSON.readTree(text);
            return new Response(response.getStatus(), body, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.proxima.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The JSON columns of the job feature: effective requests and metric maps. */
@Component
class JobRequestJson {

    private final ObjectMapper json;

    JobRequestJson(ObjectMapper json) {
        this.json = json;
    }

    JobRequest read(String requestJson) {
        try {
            return json.readValue(requestJson, JobRequest.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, Double> readMetrics(String metricsJson) {
        try {
            return json.readValue(metricsJson, Map.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

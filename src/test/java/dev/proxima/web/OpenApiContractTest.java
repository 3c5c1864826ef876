package dev.proxima.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.proxima.support.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * openapi/proxima.yaml is the contract: it must equal what the running service documents.
 * After an intended API change, regenerate it with
 * {@code ./mvnw test -Dtest=OpenApiContractTest -Dopenapi.write=true} and review the diff.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiContractTest {

    static final Path CONTRACT = Path.of("openapi", "proxima.yaml");

    @LocalServerPort
    int port;

    @Test
    void committedDocumentMatchesTheRunningService() throws Exception {
        Api.Response served = new Api(port).get("/v3/api-docs");
        assertThat(served.status()).isEqualTo(200);
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
        if (Boolean.getBoolean("openapi.write")) {
            Files.createDirectories(CONTRACT.getParent());
            yaml.writeValue(CONTRACT.toFile(), served.body());
        }
        JsonNode committed = yaml.readTree(CONTRACT.toFile());
        if (!served.body().equals(committed)) {
            Path actual = Path.of("target", "openapi-served.yaml");
            yaml.writeValue(actual.toFile(), served.body());
            throw new AssertionError("the running service's OpenAPI document differs from " + CONTRACT
                    + " (it is in " + actual + "; diff the two). If the change is intended, regenerate the"
                    + " contract with ./mvnw test -Dtest=OpenApiContractTest -Dopenapi.write=true");
        }
    }

    @Test
    void swaggerUiIsServed() {
        Api.Response ui = new Api(port).get("/swagger-ui/index.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.raw().body()).contains("swagger-ui");
    }
}

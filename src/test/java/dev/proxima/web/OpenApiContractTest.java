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
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * openapi/proxima.yaml is the contract: it must equal what the running service documents.
 * After an intended API change, regenerate it with
 * {@code ./mvnw test -Dtest=OpenApiContractTest -Dopenapi.write=true} and review the diff. Writing
 * and checking are separate tests: a run that writes the contract skips the check, so that the
 * check never compares a freshly written file with itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiContractTest {

    static final Path CONTRACT = Path.of("openapi", "proxima.yaml");
    static final String WRITE = "openapi.write";

    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    @LocalServerPort
    int port;

    @Test
    @DisabledIfSystemProperty(named = WRITE, matches = "true", disabledReason = "the contract is being rewritten")
    void committedDocumentMatchesTheRunningService() throws Exception {
        JsonNode served = served();
        JsonNode committed = YAML.readTree(CONTRACT.toFile());
        if (!served.equals(committed)) {
            Path actual = Path.of("target", "openapi-served.yaml");
            YAML.writeValue(actual.toFile(), served);
            throw new AssertionError("the running service's OpenAPI document differs from " + CONTRACT
                    + " (it is in " + actual + "; diff the two). If the change is intended, regenerate the"
                    + " contract with ./mvnw test -Dtest=OpenApiContractTest -Dopenapi.write=true");
        }
    }

    @Test
    @EnabledIfSystemProperty(named = WRITE, matches = "true")
    void writeTheContract() throws Exception {
        Files.createDirectories(CONTRACT.getParent());
        YAML.writeValue(CONTRACT.toFile(), served());
    }

    private JsonNode served() {
        Api.Response served = new Api(port).get("/v3/api-docs");
        assertThat(served.status()).isEqualTo(200);
        return served.body();
    }

    @Test
    void swaggerUiIsServed() {
        Api.Response ui = new Api(port).get("/swagger-ui/index.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.raw().body()).contains("swagger-ui");
    }
}

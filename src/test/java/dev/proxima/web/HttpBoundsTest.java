package dev.proxima.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proxima.support.Api;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Collections;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The service listens on the loopback address only by default, and bodies above
 * proxima.http.max-body-size (64 KB here) are a 413 problem, whether the client declares the
 * length or streams the body chunked; a body within the limit is read as usual.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "proxima.http.max-body-size=64KB")
class HttpBoundsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    /** A job request padded with whitespace inside it (where a JSON parser must read it) to {@code size} bytes. */
    private static String padded(int size) {
        String job = "\"environment\":{\"id\":\"NoSuch-v0\"}}";
        return "{" + " ".repeat(size - job.length() - 1) + job;
    }

    private HttpResponse<String> post(String path, HttpRequest.BodyPublisher body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + Api.ADMIN_KEY)
                .POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertTooLarge(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(413);
        assertThat(problem.get("detail").asText()).contains("proxima.http.max-body-size");
    }

    @Autowired
    ServerProperties server;

    @Test
    void theServiceListensOnTheLoopbackAddressOnly() throws Exception {
        assertThat(server.getAddress()).isNotNull();
        assertThat(server.getAddress().isLoopbackAddress()).isTrue();
        // every other address of this machine refuses the connection
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(network.getInetAddresses())) {
                if (address.isLoopbackAddress() || address.isLinkLocalAddress()) {
                    continue;
                }
                try (Socket socket = new Socket()) {
                    assertThatThrownBy(() -> socket.connect(new InetSocketAddress(address, port), 2000))
                            .as("port %d on %s", port, address).isInstanceOf(IOException.class);
                }
            }
        }
    }

    @Test
    void aDeclaredLengthAboveTheLimitIsRefusedBeforeReading() throws Exception {
        assertTooLarge(post("/api/jobs", HttpRequest.BodyPublishers.ofString(padded(200_000))));
        assertTooLarge(post("/api/policies/00000000-0000-0000-0000-000000000000/act",
                HttpRequest.BodyPublishers.ofString(padded(70_000))));
    }

    @Test
    void aChunkedBodyIsCutOffWhereItPassesTheLimit() throws Exception {
        byte[] body = padded(200_000).getBytes(StandardCharsets.UTF_8);
        // no Content-Length: the client streams the body chunked
        assertTooLarge(post("/api/jobs", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
    }

    @Test
    void aBodyWithinTheLimitIsReadAsUsual() throws Exception {
        HttpResponse<String> response = post("/api/jobs", HttpRequest.BodyPublishers.ofString(padded(60_000)));
        // read and checked: the environment does not exist
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(response.body()).get("field").asText()).isEqualTo("environment.id");
        byte[] chunked = padded(60_000).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> streamed = post("/api/jobs",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(chunked)));
        assertThat(streamed.statusCode()).isEqualTo(422);
    }
}

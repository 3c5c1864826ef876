package dev.proxima.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every error is a problem detail, the container's own too: paths and headers Tomcat refuses
 * before Spring sees them, and {@code /error} requested directly. Sent over a raw socket, since
 * an HTTP client would refuse to send most of these requests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "server.tomcat.connection-timeout=2s")
class ContainerErrorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    private record Raw(int status, String contentType, String body) {
    }

    private Raw send(String requestLineAndHeaders) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((requestLineAndHeaders + "Host: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            String response = bytes.toString(StandardCharsets.UTF_8);
            int headersEnd = response.indexOf("\r\n\r\n");
            String head = response.substring(0, headersEnd);
            String body = response.substring(headersEnd + 4);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                body = unchunk(body);
            }
            String contentType = head.lines().filter(line -> line.toLowerCase().startsWith("content-type:"))
                    .map(line -> line.substring(13).trim()).findFirst().orElse("");
            return new Raw(Integer.parseInt(head.split(" ")[1]), contentType, body);
        }
    }

    @org.junit.jupiter.api.Test
    void aStalledBodyIsAProblemDetailOnceTheConnectionTimeoutPasses() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/jobs HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Authorization: Bearer " + dev.proxima.support.Api.ADMIN_KEY + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"environment\":")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            long start = System.nanoTime();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat((System.nanoTime() - start) / 1e9).as("seconds until the answer").isLessThan(15);
            assertThat(response).startsWith("HTTP/1.1 4");
            String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase();
            assertThat(head).contains("content-type: application/problem+json");
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /error requested directly | GET /error HTTP/1.1                 | 404
            an encoded slash          | GET /api/jobs/a%2Fb HTTP/1.1        | 400
            an encoded NUL            | GET /api/jobs/a%00b HTTP/1.1        | 400
            a bad percent-encoding    | GET /api/jobs/%zz HTTP/1.1          | 400
            an unknown path           | GET /no/such/thing HTTP/1.1         | 404
            """)
    void refusedRequestsAreProblemDetails(String description, String requestLine, int status) throws Exception {
        assertProblem(send(requestLine + "\r\n"), status);
    }

    @org.junit.jupiter.api.Test
    void aHugeHeaderOrPathIsAProblemDetail() throws Exception {
        assertProblem(send("GET /api/jobs HTTP/1.1\r\nX-Padding: " + "a".repeat(10_000) + "\r\n"), 400);
        Raw longPath = send("GET /api/" + "p".repeat(5_000) + " HTTP/1.1\r\nAuthorization: Bearer "
                + dev.proxima.support.Api.ADMIN_KEY + "\r\n");
        assertProblem(longPath, longPath.status());
        assertThat(longPath.status()).isIn(400, 404, 414);
    }

    private static void assertProblem(Raw response, int status) throws Exception {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).as(response.body()).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.has("detail")).isTrue();
        assertThat(response.body()).doesNotContain("<html", "Exception");
    }
}

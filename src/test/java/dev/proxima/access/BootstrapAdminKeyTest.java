package dev.proxima.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxima.support.Api;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Without PROXIMA_ADMIN_KEY the first start writes an admin key to a file only its user can read. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class BootstrapAdminKeyTest {

    private static final Path FILE = tempDirectory().resolve("data").resolve("admin-key");

    @DynamicPropertySource
    static void noConfiguredKey(DynamicPropertyRegistry registry) {
        registry.add("proxima.admin-key", () -> "");
        registry.add("proxima.admin-key-file", FILE::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys keys;

    @Test
    void aGeneratedKeyIsWrittenForItsUserAloneAndWorks(CapturedOutput output) throws IOException {
        assertThat(FILE).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(FILE))).isEqualTo("rw-------");
        String secret = Files.readString(FILE).strip();
        assertThat(secret).startsWith("pxk_").hasSizeGreaterThan(40);
        assertThat(output.getAll()).contains(FILE.toString());
        assertThat(new Api(port, secret).get("/api/keys").status()).isEqualTo(200);
        assertThat(new Api(port, Api.ADMIN_KEY).get("/api/keys").status()).isEqualTo(401);

        // a restart reads the same file: the same key goes on working
        new BootstrapAdminKey(keys, "", FILE).afterSingletonsInstantiated();
        assertThat(Files.readString(FILE).strip()).isEqualTo(secret);
        assertThat(new Api(port, secret).get("/api/keys").status()).isEqualTo(200);

        // PROXIMA_ADMIN_KEY, once set, is the bootstrap key's secret; the file's stops working
        new BootstrapAdminKey(keys, "configured-admin-key-0123", FILE).afterSingletonsInstantiated();
        assertThat(new Api(port, "configured-admin-key-0123").get("/api/keys").status()).isEqualTo(200);
        assertThat(new Api(port, secret).get("/api/keys").status()).isEqualTo(401);
    }

    private static Path tempDirectory() {
        try {
            return Files.createTempDirectory("proxima-bootstrap");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

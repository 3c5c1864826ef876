package dev.proxima.access;

import dev.proxima.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The first admin key, installed at start: {@code PROXIMA_ADMIN_KEY} (the property
 * proxima.admin-key) if set; else the key in proxima.admin-key-file; else a new key, written to
 * that file readable by this user only. Several instances on one database should share
 * PROXIMA_ADMIN_KEY: each start installs its key as the bootstrap key's secret.
 */
@Component
class BootstrapAdminKey implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdminKey.class);
    private static final int MIN_LENGTH = 16;

    private final ApiKeys keys;
    private final String configured;
    private final Path file;

    BootstrapAdminKey(ApiKeys keys, @Value("${proxima.admin-key:}") String configured,
            @Value("${proxima.admin-key-file:./data/admin-key}") Path file) {
        this.keys = keys;
        this.configured = configured.strip();
        this.file = file.toAbsolutePath().normalize();
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (!configured.isEmpty()) {
            if (configured.length() < MIN_LENGTH) {
                throw new IllegalStateException("PROXIMA_ADMIN_KEY must be at least " + MIN_LENGTH + " characters");
            }
            keys.installBootstrap(configured);
            log.info("Bootstrap admin key: from PROXIMA_ADMIN_KEY");
        } else {
            keys.installBootstrap(readOrCreateFile());
        }
        if (keys.isBootstrapRevoked()) {
            log.warn("The bootstrap admin key is revoked; set a new PROXIMA_ADMIN_KEY to restore it");
        }
    }

    private String readOrCreateFile() {
        try {
            if (Files.exists(file)) {
                String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (secret.length() >= MIN_LENGTH) {
                    log.info("Bootstrap admin key: read from {}", file);
                    return secret;
                }
                log.warn("{} holds no key; writing a new one", file);
                Files.delete(file);
            }
            String secret = Secrets.generate(ApiKeys.KEY_PREFIX);
            Files.createDirectories(file.getParent());
            Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(
                    Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE))),
                    secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
            log.info("Bootstrap admin key: generated and written to {} (readable by this user only); send it as "
                    + "'Authorization: Bearer <key>'", file);
            return secret;
        } catch (FileAlreadyExistsException racedByAnotherInstance) {
            return readOrCreateFile();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the bootstrap admin key file " + file, e);
        }
    }
}

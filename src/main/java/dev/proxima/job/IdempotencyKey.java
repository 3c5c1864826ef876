package dev.proxima.job;

import dev.proxima.InvalidFieldException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A submission's Idempotency-Key header with the SHA-256 fingerprint of the request it came with
 * (its canonical JSON, so whitespace and field order do not matter): a retry has the same
 * fingerprint, a reuse of the key for another request does not.
 */
record IdempotencyKey(String value, String requestFingerprint) {

    static final String HEADER = "Idempotency-Key";
    static final int MAX_LENGTH = 255;

    /** The key of a submission, or null when it has none. */
    static IdempotencyKey of(String header, String canonicalRequestJson) {
        if (header == null) {
            return null;
        }
        if (header.isBlank()) {
            throw new InvalidFieldException(HEADER, "must not be blank");
        }
        if (header.length() > MAX_LENGTH) {
            throw new InvalidFieldException(HEADER, "must be at most " + MAX_LENGTH + " characters, was "
                    + header.length());
        }
        return new IdempotencyKey(header, sha256(canonicalRequestJson));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}

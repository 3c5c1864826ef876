package dev.proxima.job;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * An external job's runner token: 256 random bits, answered once when the job is created; the
 * database keeps only its SHA-256 (a token is random, so a plain hash is enough: nothing to guess).
 */
public final class RunnerTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "prt_";

    public record Token(String value, String hash) {
    }

    private RunnerTokens() {
    }

    static Token generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String value = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new Token(value, hash(value));
    }

    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

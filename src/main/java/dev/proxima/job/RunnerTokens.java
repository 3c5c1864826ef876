package dev.proxima.job;

import dev.proxima.Secrets;

/** An external job's runner token: answered once when the job is created; the database keeps its SHA-256. */
public final class RunnerTokens {

    private static final String PREFIX = "prt_";

    public record Token(String value, String hash) {
    }

    private RunnerTokens() {
    }

    static Token generate() {
        String value = Secrets.generate(PREFIX);
        return new Token(value, hash(value));
    }

    public static String hash(String token) {
        return Secrets.hash(token);
    }
}

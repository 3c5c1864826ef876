package dev.proxima.access;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** A stored API key: its owner and scopes, and the SHA-256 of its secret (the secret is answered once). */
@Entity
@Table(name = "api_key")
class ApiKey {

    @Id
    private String id;
    private String owner;
    /** Comma-separated scope ids, e.g. "train,act". */
    private String scopes;
    private String keyHash;
    private Instant createdAt;
    private Instant revokedAt;

    protected ApiKey() {
    }

    ApiKey(String id, String owner, Set<Scope> scopes, String keyHash, Instant createdAt) {
        this.id = id;
        this.owner = owner;
        this.scopes = scopes.stream().sorted().map(Scope::id).collect(Collectors.joining(","));
        this.keyHash = keyHash;
        this.createdAt = createdAt;
    }

    String getId() {
        return id;
    }

    String getOwner() {
        return owner;
    }

    Set<Scope> getScopes() {
        Set<Scope> parsed = EnumSet.noneOf(Scope.class);
        Arrays.stream(scopes.split(",")).map(Scope::parse).forEach(s -> s.ifPresent(parsed::add));
        return parsed;
    }

    String getKeyHash() {
        return keyHash;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    Instant getRevokedAt() {
        return revokedAt;
    }

    boolean isRevoked() {
        return revokedAt != null;
    }

    void revoke(Instant now) {
        if (revokedAt == null) {
            revokedAt = now;
        }
    }

    /** Gives the key a new secret (the bootstrap key, from a changed PROXIMA_ADMIN_KEY) and lifts a revocation. */
    void replaceSecret(String newHash) {
        keyHash = newHash;
        revokedAt = null;
    }

    Caller caller() {
        return new Caller(id, owner, getScopes());
    }
}

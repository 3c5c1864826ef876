package dev.proxima.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.proxima.InvalidFieldException;
import dev.proxima.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates, lists and revokes API keys, and tells who a bearer secret belongs to. Lookups are
 * cached for a second (an /act call should not cost a database round trip); a revocation clears
 * this instance's cache at once, other instances' within that second.
 */
@Service
public class ApiKeys {

    static final String KEY_PREFIX = "pxk_";
    static final String BOOTSTRAP_ID = "bootstrap";
    static final String BOOTSTRAP_OWNER = "admin";
    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final int MAX_SECRET_LENGTH = 512;

    /** A key as created: the only answer that holds its secret. */
    record Created(String id, String key, String owner, Set<Scope> scopes, Instant createdAt) {
    }

    /** A key as listed, without its secret. */
    record Listed(String id, String owner, Set<Scope> scopes, Instant createdAt, Instant revokedAt) {
    }

    private final ApiKeyRepository keys;
    private final Clock clock;
    private final Cache<String, Optional<Caller>> callersByHash = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(1)).build();

    ApiKeys(ApiKeyRepository keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** The caller a secret authenticates, or empty for an unknown or revoked key. */
    Optional<Caller> authenticate(String secret) {
        if (secret.isEmpty() || secret.length() > MAX_SECRET_LENGTH) {
            return Optional.empty();
        }
        return callersByHash.get(Secrets.hash(secret),
                hash -> keys.findByKeyHash(hash).filter(key -> !key.isRevoked()).map(ApiKey::caller));
    }

    @Transactional
    Created create(String owner, List<String> scopeIds) {
        checkOwner(owner);
        Set<Scope> scopes = scopes(scopeIds);
        String secret = Secrets.generate(KEY_PREFIX);
        ApiKey key = keys.save(new ApiKey(UUID.randomUUID().toString(), owner, scopes, Secrets.hash(secret),
                clock.instant()));
        return new Created(key.getId(), secret, key.getOwner(), key.getScopes(), key.getCreatedAt());
    }

    @Transactional(readOnly = true)
    List<Listed> list() {
        return keys.findAllByOrderByCreatedAtAsc().stream()
                .map(k -> new Listed(k.getId(), k.getOwner(), k.getScopes(), k.getCreatedAt(), k.getRevokedAt()))
                .toList();
    }

    /** Revokes a key at once (a revoked key stays listed, with revokedAt); 404 for an unknown id. */
    @Transactional
    void revoke(String id) {
        ApiKey key = keys.findById(id).orElseThrow(() -> new ApiKeyNotFoundException(id));
        key.revoke(clock.instant());
        keys.flush();
        callersByHash.invalidateAll();
    }

    /**
     * Makes {@code secret} the bootstrap admin key's. A key revoked with the same secret stays
     * revoked; a new secret replaces the old one (which stops working).
     */
    @Transactional
    void installBootstrap(String secret) {
        String hash = Secrets.hash(secret);
        Optional<ApiKey> existing = keys.findById(BOOTSTRAP_ID);
        if (existing.isEmpty()) {
            keys.save(new ApiKey(BOOTSTRAP_ID, BOOTSTRAP_OWNER, EnumSet.of(Scope.ADMIN), hash, clock.instant()));
        } else if (!existing.get().getKeyHash().equals(hash)) {
            existing.get().replaceSecret(hash);
        }
        callersByHash.invalidateAll();
    }

    @Transactional(readOnly = true)
    boolean isBootstrapRevoked() {
        return keys.findById(BOOTSTRAP_ID).map(ApiKey::isRevoked).orElse(false);
    }

    private static void checkOwner(String owner) {
        if (owner == null) {
            throw new InvalidFieldException("owner", "is required");
        }
        if (!OWNER.matcher(owner).matches()) {
            throw new InvalidFieldException("owner", "must be 1 to 64 letters, digits and . _ @ - (starting with a "
                    + "letter or digit)");
        }
    }

    private static Set<Scope> scopes(List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            throw new InvalidFieldException("scopes", "must name at least one of admin, train, act");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            int index = i;
            scopes.add(Scope.parse(id).orElseThrow(() -> new InvalidFieldException("scopes[" + index + "]",
                    "must be one of admin, train, act")));
        }
        return scopes;
    }
}

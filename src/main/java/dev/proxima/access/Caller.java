package dev.proxima.access;

import java.util.Set;

/**
 * Who sent a request: the owner its API key belongs to, and the key's scopes. Controllers take it
 * as {@code @AuthenticationPrincipal Caller} and hand it to the services, which answer another
 * owner's resources as not found.
 */
public record Caller(String keyId, String owner, Set<Scope> scopes) {

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    public boolean isAdmin() {
        return scopes.contains(Scope.ADMIN);
    }

    /** Whether this caller may see a resource of {@code resourceOwner}: its own, or any as an admin. */
    public boolean mayAccess(String resourceOwner) {
        return isAdmin() || owner.equals(resourceOwner);
    }
}

package dev.proxima.access;

import java.util.Collection;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A bearer API key: before authentication its secret; after, the {@link Caller} with the key's scopes. */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final String secret;
    private final Caller caller;

    private ApiKeyAuthentication(String secret, Caller caller, Collection<? extends GrantedAuthority> authorities) {
        super(authorities);
        this.secret = secret;
        this.caller = caller;
        setAuthenticated(caller != null);
    }

    static ApiKeyAuthentication unauthenticated(String secret) {
        return new ApiKeyAuthentication(secret, null, List.of());
    }

    static ApiKeyAuthentication of(Caller caller) {
        return new ApiKeyAuthentication(null, caller,
                caller.scopes().stream().map(s -> new SimpleGrantedAuthority(s.authority())).toList());
    }

    String secret() {
        return secret;
    }

    @Override
    public Object getCredentials() {
        return null; // the secret is not kept once the key is known
    }

    @Override
    public Caller getPrincipal() {
        return caller;
    }

    @Override
    public String getName() {
        return caller == null ? "unauthenticated" : caller.owner();
    }
}

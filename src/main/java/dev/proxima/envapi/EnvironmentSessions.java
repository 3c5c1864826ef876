package dev.proxima.envapi;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.proxima.env.Environment;
import dev.proxima.env.EnvironmentRegistry;
import java.time.Duration;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Live environment instances that clients step over HTTP (as OpenAI's gym-http-api). Bounded in
 * number; a session idle for longer than the timeout expires (Caffeine's expire-after-access).
 */
@Component
class EnvironmentSessions {

    /** One client's environment; callers lock it while they use it. */
    static final class Session {
        final UUID id;
        final Environment env;

        Session(UUID id, Environment env) {
            this.id = id;
            this.env = env;
        }
    }

    private final EnvironmentRegistry registry;
    private final Cache<UUID, Session> sessions;
    private final int max;

    EnvironmentSessions(EnvironmentRegistry registry, @Value("${proxima.sessions.max:64}") int max,
            @Value("${proxima.sessions.idle-timeout:10m}") Duration idleTimeout) {
        this.registry = registry;
        this.max = max;
        this.sessions = Caffeine.newBuilder().expireAfterAccess(idleTimeout).build();
    }

    synchronized Session open(String environmentId) {
        sessions.cleanUp(); // idle sessions leave before the limit is checked
        if (sessions.estimatedSize() >= max) {
            throw new SessionLimitException(max);
        }
        Session session = new Session(UUID.randomUUID(), registry.create(environmentId));
        sessions.put(session.id, session);
        return session;
    }

    Session get(UUID id) {
        Session session = sessions.getIfPresent(id);
        if (session == null) {
            throw new SessionNotFoundException(id);
        }
        return session;
    }

    void close(UUID id) {
        if (sessions.asMap().remove(id) == null) {
            throw new SessionNotFoundException(id);
        }
    }
}

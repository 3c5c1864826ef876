package dev.proxima.envapi;

import dev.proxima.env.Environment;
import dev.proxima.env.EnvironmentRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Live environment instances that clients step over HTTP (as OpenAI's gym-http-api). Bounded in
 * number; a session idle for longer than the timeout is closed when the next one is opened.
 */
@Component
class EnvironmentSessions {

    /** One client's environment; callers lock it while they use it. */
    static final class Session {
        final UUID id;
        final Environment env;
        volatile long lastUsedNanos = System.nanoTime();

        Session(UUID id, Environment env) {
            this.id = id;
            this.env = env;
        }
    }

    private final EnvironmentRegistry registry;
    private final Map<UUID, Session> sessions = new ConcurrentHashMap<>();
    private final int max;
    private final long idleNanos;

    EnvironmentSessions(EnvironmentRegistry registry, @Value("${proxima.sessions.max:64}") int max,
            @Value("${proxima.sessions.idle-timeout:10m}") Duration idleTimeout) {
        this.registry = registry;
        this.max = max;
        this.idleNanos = idleTimeout.toNanos();
    }

    synchronized Session open(String environmentId) {
        expireIdle();
        if (sessions.size() >= max) {
            throw new SessionLimitException(max);
        }
        Session session = new Session(UUID.randomUUID(), registry.create(environmentId));
        sessions.put(session.id, session);
        return session;
    }

    Session get(UUID id) {
        Session session = Optional.ofNullable(sessions.get(id)).orElseThrow(() -> new SessionNotFoundException(id));
        if (System.nanoTime() - session.lastUsedNanos > idleNanos) {
            sessions.remove(id);
            throw new SessionNotFoundException(id);
        }
        session.lastUsedNanos = System.nanoTime();
        return session;
    }

    void close(UUID id) {
        if (sessions.remove(id) == null) {
            throw new SessionNotFoundException(id);
        }
    }

    private void expireIdle() {
        long now = System.nanoTime();
        sessions.values().removeIf(session -> now - session.lastUsedNanos > idleNanos);
    }
}

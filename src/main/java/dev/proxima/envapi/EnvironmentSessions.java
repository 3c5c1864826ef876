package dev.proxima.envapi;

import dev.proxima.access.Caller;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.proxima.InvalidFieldException;
import dev.proxima.env.Environment;
import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.env.Space;
import dev.proxima.env.StepResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Live environment instances that clients step over HTTP (as OpenAI's gym-http-api). Bounded in
 * number, in all and per owner; each is its owner's (another owner's is answered as missing); a session idle for longer than the timeout expires (Caffeine's expire-after-access).
 * Each session's environment is used under the session's lock.
 */
@Component
class EnvironmentSessions {

    /** A new session: its id and the observation of its first reset. */
    record Opened(UUID id, double[] observation) {
    }

    /** An open session as the listing shows it. */
    record Listed(UUID sessionId, String environmentId, String owner, Instant openedAt, Instant lastUsedAt,
            Instant expiresAt) {
    }

    private static final class Session {
        final UUID id;
        final String environmentId;
        final String owner;
        final Environment env;
        final Instant openedAt = Instant.now();
        volatile Instant lastUsedAt = openedAt;
        /** Whether the environment's state overflowed, so that only a reset can go on (guarded by the session). */
        boolean overflowed;

        Session(UUID id, String environmentId, String owner, Environment env) {
            this.id = id;
            this.owner = owner;
            this.environmentId = environmentId;
            this.env = env;
        }
    }

    private final EnvironmentRegistry registry;
    private final Cache<UUID, Session> sessions;
    private final int max;
    private final int maxPerOwner;
    private final Duration idleTimeout;

    EnvironmentSessions(EnvironmentRegistry registry, @Value("${proxima.sessions.max:64}") int max,
            @Value("${proxima.quotas.sessions-per-owner:8}") int maxPerOwner,
            @Value("${proxima.sessions.idle-timeout:10m}") Duration idleTimeout) {
        this.registry = registry;
        this.max = max;
        this.maxPerOwner = maxPerOwner;
        this.idleTimeout = idleTimeout;
        this.sessions = Caffeine.newBuilder().expireAfterAccess(idleTimeout).build();
    }

    /** Creates the environment and resets it, seeded if a seed is given. */
    Opened open(String environmentId, Long seed, Caller caller) {
        Session session = add(environmentId, caller.owner());
        synchronized (session) {
            return new Opened(session.id, seed == null ? session.env.reset() : session.env.reset(seed));
        }
    }

    private synchronized Session add(String environmentId, String owner) {
        sessions.cleanUp(); // idle sessions leave before the limits are checked
        if (sessions.estimatedSize() >= max) {
            throw SessionLimitException.service(max);
        }
        if (sessions.asMap().values().stream().filter(s -> s.owner.equals(owner)).count() >= maxPerOwner) {
            throw SessionLimitException.owner(owner, maxPerOwner);
        }
        Session session = new Session(UUID.randomUUID(), environmentId, owner, registry.create(environmentId));
        sessions.put(session.id, session);
        return session;
    }

    /**
     * Resets the session's environment: re-seeded if a seed is given, then, if a state is given,
     * put in that internal state (422 naming {@code state} when the environment refuses it).
     */
    double[] reset(UUID id, Caller caller, Long seed, double[] state) {
        Session session = get(id, caller);
        synchronized (session) {
            Environment env = session.env;
            if (state == null) {
                session.overflowed = false;
                return seed != null ? env.reset(seed) : env.reset();
            }
            if (seed != null) {
                env.reset(seed);
            }
            double[] observation;
            try {
                observation = env.resetToState(state);
            } catch (IllegalArgumentException e) {
                throw new InvalidFieldException("state", e.getMessage());
            }
            if (!finite(observation)) {
                session.overflowed = true;
                throw new InvalidFieldException("state", "gives a non-finite observation; reset to another state");
            }
            session.overflowed = false;
            return observation;
        }
    }

    Space actionSpace(UUID id, Caller caller) {
        return get(id, caller).env.spec().actionSpace();
    }

    /**
     * One step; an action the environment refuses is a 422 naming {@code action}. A step whose
     * observation or reward overflows (from a state set far out of range) is a 422 naming
     * {@code state}, as is every step after it until a reset: JSON has no infinity and no NaN.
     */
    StepResult step(UUID id, Caller caller, double[] action) {
        Session session = get(id, caller);
        synchronized (session) {
            if (session.overflowed) {
                throw new InvalidFieldException("state", OVERFLOWED);
            }
            StepResult result;
            try {
                result = session.env.step(action);
            } catch (IllegalArgumentException e) {
                throw new InvalidFieldException("action", e.getMessage());
            }
            if (!finite(result.observation()) || !Double.isFinite(result.reward())) {
                session.overflowed = true;
                throw new InvalidFieldException("state", OVERFLOWED);
            }
            return result;
        }
    }

    private static final String OVERFLOWED = "the session's state overflowed: the step's observation or reward is "
            + "not a finite number (a state set by reset far out of range); reset the session";

    private static boolean finite(double[] values) {
        for (double value : values) {
            if (!Double.isFinite(value)) {
                return false;
            }
        }
        return true;
    }

    private Session get(UUID id, Caller caller) {
        Session session = sessions.getIfPresent(id);
        if (session == null || !caller.mayAccess(session.owner)) {
            throw new SessionNotFoundException(id);
        }
        session.lastUsedAt = Instant.now();
        return session;
    }

    /** The open sessions, the most recently used first, and when each expires unless used. */
    List<Listed> list(Caller caller) {
        sessions.cleanUp();
        return sessions.asMap().values().stream()
                .filter(s -> caller.mayAccess(s.owner))
                .map(s -> new Listed(s.id, s.environmentId, s.owner, s.openedAt, s.lastUsedAt, s.lastUsedAt.plus(idleTimeout)))
                .sorted(Comparator.comparing(Listed::lastUsedAt).reversed())
                .toList();
    }

    int openCount() {
        return (int) sessions.estimatedSize();
    }

    int max() {
        return max;
    }

    int maxPerOwner() {
        return maxPerOwner;
    }

    void close(UUID id, Caller caller) {
        Session session = get(id, caller);
        if (!sessions.asMap().remove(id, session)) {
            throw new SessionNotFoundException(id);
        }
    }
}

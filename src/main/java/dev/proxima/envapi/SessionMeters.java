package dev.proxima.envapi;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/** The environment sessions open on this instance, as a Micrometer gauge. */
@Component
class SessionMeters implements MeterBinder {

    private final EnvironmentSessions sessions;

    SessionMeters(EnvironmentSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("proxima.sessions.open", sessions, EnvironmentSessions::openCount)
                .description("Environment sessions open on this instance").register(registry);
    }
}

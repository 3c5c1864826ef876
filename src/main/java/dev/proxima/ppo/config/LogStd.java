package dev.proxima.ppo.config;

/** Where a Gaussian policy's log-std comes from (gSDE, useSde, brings its own). */
public enum LogStd implements JsonNamed {
    /** A learned log-std vector that does not depend on the observation (SB3's default). */
    STATE_INDEPENDENT,
    /** A log-std given by logStdInit, optionally decayed linearly to logStdEnd; not learned. */
    FIXED,
    /** A log-std output by the policy network next to the mean. */
    STATE_DEPENDENT
}

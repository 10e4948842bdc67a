package com.cleversync.clever;

import java.time.Duration;
import java.time.Instant;

/**
 * How long to wait after a 429: until {@code X-RateLimit-Reset} (a Unix timestamp in seconds),
 * else {@code Retry-After} (seconds), else the configured default.
 */
public final class RateLimitWait {
    /** Clever's window is one minute; a reset further away than this is not believed. */
    private static final Duration MAX = Duration.ofMinutes(5);
    /** A little past the reset, so the first request lands in the new window. */
    private static final Duration MARGIN = Duration.ofMillis(250);

    private RateLimitWait() {}

    public static Duration after429(String rateLimitReset, String retryAfter, Duration fallback, Instant now) {
        Duration wait = fallback;
        Long reset = seconds(rateLimitReset);
        Long after = seconds(retryAfter);
        if (reset != null) {
            wait = Duration.between(now, Instant.ofEpochSecond(reset)).plus(MARGIN);
        } else if (after != null) {
            wait = Duration.ofSeconds(after);
        }
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(MAX) > 0 ? MAX : wait;
    }

    private static Long seconds(String value) {
        try {
            return value == null ? null : Long.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

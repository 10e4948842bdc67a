package com.cleversync.source;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * How long to wait after a 429: until {@code X-RateLimit-Reset} (a Unix timestamp in seconds; Clever
 * sends it), else {@code Retry-After} (seconds, or an HTTP date), else the configured default; never
 * longer than 5 minutes.
 */
public final class RateLimitWait {
    /** A source's window is a minute or so; a wait further away than this is not believed. */
    private static final Duration MAX = Duration.ofMinutes(5);
    /** A little past the reset, so the first request lands in the new window. */
    private static final Duration MARGIN = Duration.ofMillis(250);

    private RateLimitWait() {}

    /**
     * @param rateLimitReset the {@code X-RateLimit-Reset} header, or null
     * @param retryAfter     the {@code Retry-After} header, or null
     */
    public static Duration after429(String rateLimitReset, String retryAfter, Duration fallback, Instant now) {
        Duration wait = fallback;
        Long reset = seconds(rateLimitReset);
        Long after = seconds(retryAfter);
        if (reset != null) {
            wait = Duration.between(now, Instant.ofEpochSecond(reset)).plus(MARGIN);
        } else if (after != null) {
            wait = Duration.ofSeconds(after);
        } else if (retryAfter != null) {
            try {
                wait = Duration.between(now, ZonedDateTime.parse(retryAfter.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (DateTimeParseException e) {
                // neither form: the fallback
            }
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

package com.cleversync.sandbox;

/**
 * A rate limit for one caller: a fixed budget per window, the window being the current epoch minute. Clever's is
 * per token; the Clever sandbox accepts a single token, so one window is the per-token limit (the OneRoster
 * sandbox, likewise, has one client).
 */
public final class RateLimitWindow {

    private static final long MINUTE_MILLIS = 60_000L;

    private final int requestsPerMinute;
    private long windowMinute = Long.MIN_VALUE;
    private int used;

    public RateLimitWindow(int requestsPerMinute) {
        if (requestsPerMinute < 1) {
            throw new IllegalArgumentException("requestsPerMinute must be at least 1");
        }
        this.requestsPerMinute = requestsPerMinute;
    }

    /** Spends one request of the window containing {@code nowMillis}, if any is left. */
    public synchronized Decision acquire(long nowMillis) {
        long minute = Math.floorDiv(nowMillis, MINUTE_MILLIS);
        if (minute != windowMinute) {
            windowMinute = minute;
            used = 0;
        }
        boolean allowed = used < requestsPerMinute;
        if (allowed) {
            used++;
        }
        return new Decision(allowed, requestsPerMinute, requestsPerMinute - used, (minute + 1) * 60);
    }

    /**
     * The window containing {@code nowMillis} as {@link #acquire} would report it, without spending from it: the
     * headers of answers that cost nothing (injected faults).
     */
    synchronized Decision peek(long nowMillis) {
        long minute = Math.floorDiv(nowMillis, MINUTE_MILLIS);
        int spent = minute == windowMinute ? used : 0;
        return new Decision(spent < requestsPerMinute, requestsPerMinute, requestsPerMinute - spent, (minute + 1) * 60);
    }

    /** The outcome, with the values of the X-RateLimit-* headers; {@code resetEpochSeconds} is the window's end. */
    public record Decision(boolean allowed, int limit, int remaining, long resetEpochSeconds) {
    }
}

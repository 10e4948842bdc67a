package com.cleversync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A clock a test sets and moves on, shared by the service (its {@code Clock} bean) and the sandbox it
 * talks to (a {@code SandboxDistrict}'s clock), so both agree on what "today" is. Found by name, so
 * each Spring context of a test class gets its own.
 */
public final class TestClock extends Clock {
    private static final Map<String, TestClock> NAMED = new ConcurrentHashMap<>();

    private volatile Instant now;
    private final ZoneId zone;

    private TestClock(Instant now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** The clock of that name, created at {@code start} the first time it is asked for. */
    public static TestClock named(String name, Instant start) {
        return NAMED.computeIfAbsent(name, n -> new TestClock(start, ZoneOffset.UTC));
    }

    /** The clock of that name; it must have been created. */
    public static TestClock named(String name) {
        TestClock clock = NAMED.get(name);
        if (clock == null) {
            throw new IllegalStateException("no test clock " + name);
        }
        return clock;
    }

    public void set(Instant instant) {
        now = instant;
    }

    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return other;
            }

            @Override
            public Clock withZone(ZoneId again) {
                return TestClock.this.withZone(again);
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
    }

    @Override
    public Instant instant() {
        return now;
    }
}

package com.cleversync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.time.Instant;

class RateLimitWindowTest {

    private static final long MINUTE_START = Instant.parse("2025-03-01T10:15:00Z").toEpochMilli();

    @Test
    void spendsTheBudgetThenRefusesUntilTheNextMinute() {
        RateLimitWindow window = new RateLimitWindow(3);

        assertThat(window.acquire(MINUTE_START)).isEqualTo(decision(true, 2, MINUTE_START));
        assertThat(window.acquire(MINUTE_START + 10_000)).isEqualTo(decision(true, 1, MINUTE_START));
        assertThat(window.acquire(MINUTE_START + 20_000)).isEqualTo(decision(true, 0, MINUTE_START));
        assertThat(window.acquire(MINUTE_START + 59_999)).isEqualTo(decision(false, 0, MINUTE_START));

        long nextMinute = MINUTE_START + 60_000;
        assertThat(window.acquire(nextMinute)).isEqualTo(decision(true, 2, nextMinute));
    }

    @Test
    void resetIsTheEndOfTheWindowInEpochSeconds() {
        RateLimitWindow.Decision decision = new RateLimitWindow(1200).acquire(MINUTE_START + 42_123);

        assertThat(decision.resetEpochSeconds()).isEqualTo(Instant.parse("2025-03-01T10:16:00Z").getEpochSecond());
        assertThat(decision.limit()).isEqualTo(1200);
        assertThat(decision.remaining()).isEqualTo(1199);
    }

    @Test
    void needsABudget() {
        assertThatThrownBy(() -> new RateLimitWindow(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static RateLimitWindow.Decision decision(boolean allowed, int remaining, long windowStartMillis) {
        return new RateLimitWindow.Decision(allowed, 3, remaining, windowStartMillis / 1000 + 60);
    }
}

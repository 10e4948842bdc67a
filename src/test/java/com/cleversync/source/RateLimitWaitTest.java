package com.cleversync.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a 429 says to wait, whichever source sent it. */
class RateLimitWaitTest {
    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
    private static final Duration FALLBACK = Duration.ofSeconds(60);

    @Test
    void cleversResetComesFirstWithAMarginThenRetryAfterInSecondsOrAsAnHttpDate() {
        assertThat(RateLimitWait.after429(String.valueOf(NOW.getEpochSecond() + 12), "30", FALLBACK, NOW))
                .isEqualTo(Duration.ofMillis(12_250));
        assertThat(RateLimitWait.after429(null, " 30 ", FALLBACK, NOW)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RateLimitWait.after429(null, "Fri, 04 Dec 2026 10:00:45 GMT", FALLBACK, NOW))
                .isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void nothingReadableIsTheFallbackAndTheWaitStaysBetweenZeroAndFiveMinutes() {
        assertThat(RateLimitWait.after429(null, null, FALLBACK, NOW)).isEqualTo(FALLBACK);
        assertThat(RateLimitWait.after429("soon", "later", FALLBACK, NOW)).isEqualTo(FALLBACK);
        assertThat(RateLimitWait.after429(null, "Fri, 04 Dec 2026 09:59:00 GMT", FALLBACK, NOW)).isZero();
        assertThat(RateLimitWait.after429(null, "86400", FALLBACK, NOW)).isEqualTo(Duration.ofMinutes(5));
    }
}

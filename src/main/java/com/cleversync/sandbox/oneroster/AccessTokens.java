package com.cleversync.sandbox.oneroster;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The bearer tokens the provider has issued, each valid until its expiry by the district's clock. Tokens are
 * random, so a client cannot guess one or carry one over from another sandbox.
 */
final class AccessTokens {

    private final Duration lifetime;
    private final Supplier<Instant> clock;
    private final Map<String, Instant> expiries = new ConcurrentHashMap<>();
    private final AtomicLong issued = new AtomicLong();
    private final SecureRandom random = new SecureRandom();

    AccessTokens(Duration lifetime, Supplier<Instant> clock) {
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** A new token valid for the lifetime from now; expired ones are dropped on the way, so the map stays small. */
    String issue() {
        Instant now = clock.get();
        expiries.values().removeIf(expiry -> !now.isBefore(expiry));
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        expiries.put(token, now.plus(lifetime));
        issued.incrementAndGet();
        return token;
    }

    boolean valid(String token) {
        Instant expiry = expiries.get(token);
        return expiry != null && clock.get().isBefore(expiry);
    }

    void revokeAll() {
        expiries.clear();
    }

    long issued() {
        return issued.get();
    }

    Duration lifetime() {
        return lifetime;
    }
}

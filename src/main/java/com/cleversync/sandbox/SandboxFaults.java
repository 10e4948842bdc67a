package com.cleversync.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * Faults the sandbox injects into list requests (GET of /v3.0/{schools,users,sections,terms,courses,events} and
 * /districts, v3.1 alike) for the configured token; single-record requests, requests with a wrong token and
 * unknown paths are never affected. Every decision is a pure function of (seed, the request's sequence number
 * among list requests since these faults were set), so a given seed always yields the same sequence of faults.
 *
 * <p>Sequence numbers start at 1. A request after {@code faultsUntil} gets none; any other at most one, decided in
 * this order: unauthorized, rate-limit burst, server error, slow, dropped connection, truncated body, reset
 * connection. Each share is the probability of its own seeded draw (one per kind, drawn for every request), so a
 * request already given an earlier fault is not considered for the later ones. A faulty request changes no data,
 * spends nothing of the real per-minute rate limit and advances no cursor: retrying the same URL gets the correct
 * page.
 *
 * @param seed                 seeds every draw
 * @param serverErrorShare     share of requests answered with a server error, with a JSON {@code {"error": ...}} body
 * @param serverErrorStatus    the status of every server error: 500, 502 or 503; 0 = 500 or 503, as the same draw
 *                             says (the lower half of the hits 500)
 * @param rateLimitBurstEvery  every N-th list request starts a burst of 429s (0 = never)
 * @param rateLimitBurstLength how many consecutive list requests of a burst get 429, starting with the N-th
 * @param rateLimitReset       a burst's 429 says {@code X-RateLimit-Reset} = now + this (epoch seconds, rounded up)
 *                             and {@code Retry-After} = this in whole seconds (rounded up)
 * @param slowShare            share of requests that wait {@code slowDelay} before sending anything (headers
 *                             included), then are served normally
 * @param slowDelay            the wait of a slow request
 * @param dropShare            share of requests whose connection is dropped mid-body: status 200 and a Content-Length
 *                             larger than what is sent, part of the page, then the connection closes
 * @param truncateShare        share of requests answered 200 with a complete HTTP message whose JSON body is cut off
 *                             inside the page's {@code data} array
 * @param resetShare           share of requests whose connection is closed before anything is sent, status line
 *                             included, as a load balancer dropping a connection does
 * @param unauthorizedAfter    after this many list requests every further list request answers 401, as if the token
 *                             had been rotated (-1 = never, 0 = from the first request)
 * @param faultsUntil          list requests after this many get no fault of any kind, as if Clever had recovered
 *                             (-1 = faults never stop): with a burst or a share of 1 it makes a single, exactly
 *                             placed fault
 */
public record SandboxFaults(
        long seed,
        double serverErrorShare,
        int serverErrorStatus,
        int rateLimitBurstEvery,
        int rateLimitBurstLength,
        Duration rateLimitReset,
        double slowShare,
        Duration slowDelay,
        double dropShare,
        double truncateShare,
        double resetShare,
        long unauthorizedAfter,
        long faultsUntil) {

    private static final SandboxFaults NONE =
            new SandboxFaults(0L, 0, 0, 0, 0, Duration.ZERO, 0, Duration.ZERO, 0, 0, 0, -1, -1);

    public SandboxFaults {
        share("serverErrorShare", serverErrorShare);
        share("slowShare", slowShare);
        share("dropShare", dropShare);
        share("truncateShare", truncateShare);
        share("resetShare", resetShare);
        if (rateLimitBurstEvery < 0 || rateLimitBurstLength < 0) {
            throw new IllegalArgumentException("rate-limit bursts need a non-negative period and length");
        }
        notNegative("rateLimitReset", rateLimitReset);
        notNegative("slowDelay", slowDelay);
        if (unauthorizedAfter < -1) {
            throw new IllegalArgumentException("unauthorizedAfter must be -1 (never) or a request count");
        }
        if (serverErrorStatus != 0 && serverErrorStatus != 500 && serverErrorStatus != 502
                && serverErrorStatus != 503) {
            throw new IllegalArgumentException("serverErrorStatus must be 500, 502, 503 or 0 (500 or 503 by the draw)");
        }
        if (faultsUntil < -1) {
            throw new IllegalArgumentException("faultsUntil must be -1 (never stop) or a request count");
        }
    }

    /** No faults: the sandbox behaves exactly as without fault injection. */
    public static SandboxFaults none() {
        return NONE;
    }

    /** A copy with another seed. */
    public SandboxFaults withSeed(long seed) {
        return new SandboxFaults(seed, serverErrorShare, serverErrorStatus, rateLimitBurstEvery, rateLimitBurstLength,
                rateLimitReset, slowShare, slowDelay, dropShare, truncateShare,
                resetShare, unauthorizedAfter, faultsUntil);
    }

    /** A copy where this share of list requests answers 500 or 503. */
    public SandboxFaults withServerErrors(double share) {
        return withServerErrors(share, 0);
    }

    /** A copy where this share of list requests answers {@code status} (500, 502 or 503; 0 = 500 or 503). */
    public SandboxFaults withServerErrors(double share, int status) {
        return new SandboxFaults(seed, share, status, rateLimitBurstEvery, rateLimitBurstLength,
                rateLimitReset, slowShare, slowDelay, dropShare, truncateShare,
                resetShare, unauthorizedAfter, faultsUntil);
    }

    /** A copy where every {@code every}-th list request starts {@code length} consecutive 429s (0 = never). */
    public SandboxFaults withRateLimitBursts(int every, int length, Duration reset) {
        return new SandboxFaults(seed, serverErrorShare, serverErrorStatus, every, length,
                reset, slowShare, slowDelay, dropShare, truncateShare,
                resetShare, unauthorizedAfter, faultsUntil);
    }

    /** A copy where this share of list requests waits {@code delay} before answering. */
    public SandboxFaults withSlowResponses(double share, Duration delay) {
        return new SandboxFaults(seed, serverErrorShare, serverErrorStatus, rateLimitBurstEvery, rateLimitBurstLength,
                rateLimitReset, share, delay, dropShare, truncateShare,
                resetShare, unauthorizedAfter, faultsUntil);
    }

    /** A copy where this share of list requests loses its connection mid-body. */
    public SandboxFaults withDroppedConnections(double share) {
        return new SandboxFaults(seed, serverErrorShare, serverErrorStatus, rateLimitBurstEvery, rateLimitBurstLength,
                rateLimitReset, slowShare, slowDelay, share, truncateShare,
                resetShare, unauthorizedAfter, faultsUntil);
    }

    /** A copy where this share of list requests gets a complete response with a cut-off JSON body. */
    public SandboxFaults withTruncatedBodies(double share) {
        return new SandboxFaults(seed, serverErrorShare, serverErrorStatus, rateLimitBurstEvery, rateLimitBurstLength,
                rateLimitReset, slowShare, slowDelay, dropShare, share,
                resetShare, unauthorizedAfter, faultsUntil);
    }

    /** A copy where this share of list requests has its connection closed before any answer. */
    public SandboxFaults withResetConnections(double share) {
        return new SandboxFaults(seed, serverErrorShare, serverErrorStatus, rateLimitBurstEvery, rateLimitBurstLength,
                rateLimitReset, slowShare, slowDelay, dropShare, truncateShare,
                share, unauthorizedAfter, faultsUntil);
    }

    /** A copy where list requests after the first {@code requests} answer 401 (-1 = never). */
    public SandboxFaults withUnauthorizedAfter(long requests) {
        return new SandboxFaults(seed, serverErrorShare, serverErrorStatus, rateLimitBurstEvery, rateLimitBurstLength,
                rateLimitReset, slowShare, slowDelay, dropShare, truncateShare,
                resetShare, requests, faultsUntil);
    }

    /** A copy where list requests after the first {@code requests} get no fault at all (-1 = faults never stop). */
    public SandboxFaults withFaultsUntil(long requests) {
        return new SandboxFaults(seed, serverErrorShare, serverErrorStatus, rateLimitBurstEvery, rateLimitBurstLength,
                rateLimitReset, slowShare, slowDelay, dropShare, truncateShare,
                resetShare, unauthorizedAfter, requests);
    }

    private static void share(String name, double share) {
        // written so that NaN fails too
        if (!(share >= 0.0 && share <= 1.0)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1");
        }
    }

    private static void notNegative(String name, Duration duration) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
    }
}

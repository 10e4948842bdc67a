package com.cleversync.sandbox;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Active {@link SandboxFaults} with their own count of list requests: replacing the plan restarts the sequence.
 * Deciding is a pure function of the settings and the sequence number, so concurrent requests only share the
 * counter.
 */
public final class FaultPlan {

    /** Kinds in the order they are decided. */
    public enum Kind { NONE, UNAUTHORIZED, RATE_LIMITED, SERVER_ERROR, SLOW, DROP, TRUNCATE, RESET }

    /**
     * What to do with list request number {@code sequence}.
     *
     * @param status the status of a 401, 429 or 5xx fault; 0 for a reset connection (no status); 200 otherwise
     * @param cut    where to cut a dropped or truncated page, as a fraction in [0, 1) of its data array
     * @param delay  how long a slow request waits, or how far away a 429's reset lies; zero otherwise
     */
    public record Fault(Kind kind, long sequence, int status, double cut, Duration delay) {

        public boolean injected() {
            return kind != Kind.NONE;
        }
    }

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private final SandboxFaults faults;
    private final AtomicLong sequence = new AtomicLong();

    public FaultPlan(SandboxFaults faults) {
        this.faults = faults;
    }

    /** Takes the next sequence number and decides its fault. */
    public Fault next() {
        return decide(faults, sequence.incrementAndGet());
    }

    /** The fault of list request {@code sequence} (counted from 1) under {@code faults}. */
    static Fault decide(SandboxFaults faults, long sequence) {
        SplittableRandom random = new SplittableRandom(faults.seed() ^ mix(sequence));
        // every draw is taken whatever the outcome, so changing one share never moves the faults of another kind
        double serverErrorDraw = random.nextDouble();
        double slowDraw = random.nextDouble();
        double dropDraw = random.nextDouble();
        double truncateDraw = random.nextDouble();
        double cut = random.nextDouble();
        // drawn after the older kinds' draws, so adding it moved none of their faults
        double resetDraw = random.nextDouble();

        if (faults.faultsUntil() >= 0 && sequence > faults.faultsUntil()) {
            return new Fault(Kind.NONE, sequence, 200, 0, Duration.ZERO);
        }
        if (faults.unauthorizedAfter() >= 0 && sequence > faults.unauthorizedAfter()) {
            return new Fault(Kind.UNAUTHORIZED, sequence, 401, 0, Duration.ZERO);
        }
        if (inBurst(faults.rateLimitBurstEvery(), faults.rateLimitBurstLength(), sequence)) {
            return new Fault(Kind.RATE_LIMITED, sequence, 429, 0, faults.rateLimitReset());
        }
        if (serverErrorDraw < faults.serverErrorShare()) {
            // unless one status is asked for, the lower half of the hits answers 500, the upper half 503
            int status = faults.serverErrorStatus() != 0 ? faults.serverErrorStatus()
                    : serverErrorDraw < faults.serverErrorShare() / 2 ? 500 : 503;
            return new Fault(Kind.SERVER_ERROR, sequence, status, 0, Duration.ZERO);
        }
        if (slowDraw < faults.slowShare()) {
            return new Fault(Kind.SLOW, sequence, 200, 0, faults.slowDelay());
        }
        if (dropDraw < faults.dropShare()) {
            return new Fault(Kind.DROP, sequence, 200, cut, Duration.ZERO);
        }
        if (truncateDraw < faults.truncateShare()) {
            return new Fault(Kind.TRUNCATE, sequence, 200, cut, Duration.ZERO);
        }
        if (resetDraw < faults.resetShare()) {
            return new Fault(Kind.RESET, sequence, 0, 0, Duration.ZERO);
        }
        return new Fault(Kind.NONE, sequence, 200, 0, Duration.ZERO);
    }

    /**
     * Bursts start at requests {@code every, 2*every, ...} and cover {@code length} requests each; the nearest
     * start at or before the request decides, since an earlier one lies further away.
     */
    private static boolean inBurst(int every, int length, long sequence) {
        return every > 0 && sequence >= every && sequence % every < length;
    }

    /** SplitMix64's finaliser over the sequence's Weyl step: neighbouring numbers give unrelated seeds. */
    static long mix(long sequence) {
        long z = sequence * GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}

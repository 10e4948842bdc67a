package com.cleversync.sync;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A run's batches between being handed to a writer lane and leaving the school's writer route,
 * written or failed. The run's end waits for them.
 */
final class BatchTracking {
    private int inFlight;

    synchronized void submitted() {
        inFlight++;
    }

    synchronized void done() {
        if (--inFlight == 0) {
            notifyAll();
        }
    }

    /**
     * Waits until every batch submitted so far has been written or has failed, at most {@code max}.
     *
     * @return the batches still in flight (0 when all are done)
     */
    synchronized int await(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (inFlight > 0) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return inFlight;
    }
}

package com.cleversync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Waiting for what happens in the background (a message sent, a line logged): polls, with a deadline, never a fixed sleep. */
public final class Await {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private Await() {}

    /** Polls until the condition holds and returns the value that met it; fails after 30 s. */
    public static <T> T until(Callable<T> poll, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        T value = poll.call();
        while (!done.test(value)) {
            assertThat(System.nanoTime()).as("waited %s for %s", DEADLINE, value).isLessThan(deadline);
            Thread.sleep(20);
            value = poll.call();
        }
        return value;
    }
}

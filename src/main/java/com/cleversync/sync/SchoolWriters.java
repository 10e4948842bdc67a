package com.cleversync.sync;

import com.cleversync.config.CleverSyncProperties;
import com.cleversync.config.InvalidConfigurationException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The threads that write completed batches into school databases, so that a district's thread
 * keeps fetching and mapping Clever pages while earlier batches are written. When every writer is
 * busy and the small queue is full, handing over the next batch waits: backpressure keeps memory
 * bounded however fast Clever answers.
 */
@Component
class SchoolWriters implements DisposableBean {
    private final ThreadPoolExecutor pool;

    SchoolWriters(CleverSyncProperties properties) {
        int threads = properties.sync().writerThreads();
        if (threads < 1) {
            throw new InvalidConfigurationException("cleversync.sync.writer-threads", "must be at least 1, was " + threads);
        }
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(threads), r -> {
                    Thread t = new Thread(r, "school-writer-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, (task, executor) -> {
                    try {
                        executor.getQueue().put(task);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new RejectedExecutionException("interrupted while waiting for a school writer", e);
                    }
                });
    }

    ExecutorService executor() {
        return pool;
    }

    @Override
    public void destroy() throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
    }
}

package com.cleversync.sync;

import com.cleversync.config.CleverSyncProperties;
import com.cleversync.school.BatchOutcome;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes one school's batch into that school's database. Called by the per-school routes
 * ({@code routes/school-writer.camel.yaml}) as bean {@code schoolWriter}.
 */
@Component("schoolWriter")
public class SchoolWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SchoolWriter.class);

    private final RetryConfig retryConfig;
    private final Map<String, Retry> retries = new ConcurrentHashMap<>();

    SchoolWriter(CleverSyncProperties properties) {
        CleverSyncProperties.Sync sync = properties.sync();
        // a batch is one transaction, so repeating it after a lost connection or deadlock is safe;
        // records the database refuses never get here (they are quarantined by the batch writer)
        this.retryConfig = RetryConfig.custom()
                .maxAttempts(sync.writeAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(sync.writeRetryDelay(), 2.0, 0.5,
                        sync.writeRetryMaxDelay()))
                .build();
    }

    public void write(SchoolBatch batch) throws Exception {
        SchoolRun school = batch.school();
        if (school.lostWrite()) {
            // a later batch must not commit a checkpoint past records an earlier, failed batch lost;
            // after other failures (Clever stopped answering) the batches already formed are written
            throw new IllegalStateException("an earlier batch of this school failed in this run; batch not written");
        }
        String district = school.school().district();
        long started = System.nanoTime();
        BatchOutcome outcome = retry(school).executeCallable(() -> school.school().database()
                .write(school.runId(), district, batch.passId(), batch.records(), batch.checkpoint()));
        school.stored(outcome);
        LOG.debug("run {} school {}: {} records, {} written, {} unchanged, {} rejected, {} archived in {} ms",
                school.runId(), school.school().routeId(), batch.records().size(), outcome.written(),
                outcome.unchanged(), outcome.rejected(), outcome.archived(), (System.nanoTime() - started) / 1_000_000);
    }

    private Retry retry(SchoolRun school) {
        return retries.computeIfAbsent(school.school().routeId(), name -> {
            Retry retry = Retry.of(name, retryConfig);
            retry.getEventPublisher().onRetry(event -> LOG.warn("{}: batch write failed ({}), attempt {} of {}; retrying in {} ms",
                    name, Failures.describe(event.getLastThrowable()), event.getNumberOfRetryAttempts(),
                    retryConfig.getMaxAttempts(), event.getWaitInterval().toMillis()));
            return retry;
        });
    }
}

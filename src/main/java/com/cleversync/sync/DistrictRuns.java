package com.cleversync.sync;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Starts and finishes district runs and keeps the audit trail: a {@code sync_runs} row in every
 * school database at the start and its outcome at the end. A district never runs twice at once in
 * this process: a trigger that arrives while its district is running is skipped.
 */
@Component
public class DistrictRuns {
    /** Headers that start a run on {@code direct:sync-district}. */
    public static final String DISTRICT = "CleverSyncDistrict";
    public static final String TRIGGER = "CleverSyncTrigger";
    /** Exchange property holding the {@link DistrictRun} while it runs. */
    static final String RUN = "CleverSyncRun";

    private static final Logger LOG = LoggerFactory.getLogger(DistrictRuns.class);

    private final SyncDistricts districts;
    private final Map<String, DistrictRun> running = new ConcurrentHashMap<>();

    DistrictRuns(SyncDistricts districts) {
        this.districts = districts;
    }

    /** The runs in progress (for live progress). */
    public Collection<DistrictRun> running() {
        return List.copyOf(running.values());
    }

    void begin(Exchange exchange) {
        SyncDistrict district = districts.get(exchange.getMessage().getHeader(DISTRICT, String.class));
        String trigger = exchange.getMessage().getHeader(TRIGGER, "manual", String.class);
        DistrictRun run = new DistrictRun(district, trigger);
        if (running.putIfAbsent(district.key(), run) != null) {
            LOG.warn("district {} is already syncing; the {} trigger is skipped", district.key(), trigger);
            exchange.setRouteStop(true);
            return;
        }
        exchange.setProperty(RUN, run);
        LOG.info("run {} district {} full sync started by {} for {} schools",
                run.id(), district.key(), trigger, run.schools().size());
        for (SchoolRun school : run.schools()) {
            try {
                school.school().database().recordRunStart(run.id(), district.key(), school.school().key(), trigger);
            } catch (Exception e) {
                school.fail("school database unavailable: " + Failures.describe(e));
                LOG.warn("run {} district {} school {} cannot start: {}",
                        run.id(), district.key(), school.school().key(), school.errorSummary());
            }
        }
    }

    void fail(Exchange exchange) {
        DistrictRun run = exchange.getProperty(RUN, DistrictRun.class);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = "Clever sync failed: " + Failures.describe(e);
        run.fail(reason);
        LOG.error("run {} district {} failed: {}", run.id(), run.district().key(), reason);
    }

    /** A batch that could not be written fails its school for the rest of the run. */
    void batchFailed(Exchange exchange) {
        SchoolRun school = RoutedRecord.schoolOf(exchange.getMessage().getBody(List.class));
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        school.fail("write failed: " + Failures.describe(e));
        LOG.error("run {} school {} failed: {}", school.runId(), school.school().routeId(), school.errorSummary());
    }

    /** Marks a batch written or failed (it has left the writer route either way). */
    void batchDone(Exchange exchange) {
        RoutedRecord.schoolOf(exchange.getMessage().getBody(List.class)).batchDone();
    }

    void finish(Exchange exchange) throws InterruptedException {
        DistrictRun run = exchange.getProperty(RUN, DistrictRun.class);
        run.finish();
        for (SchoolRun school : run.schools()) {
            try {
                school.school().database().recordRunEnd(run.id(), school.status().name(), school.read(),
                        school.written(), school.unchanged(), run.skipped(), school.rejected(), school.errorSummary());
            } catch (Exception e) {
                LOG.warn("run {} school {}: outcome not recorded in sync_runs: {}",
                        run.id(), school.school().routeId(), Failures.describe(e));
            }
        }
        running.remove(run.district().key(), run);
        LOG.info("{}", SyncSummary.of(run));
        exchange.getMessage().setBody(run);
    }
}

package com.cleversync.cluster;

import com.cleversync.sync.DistrictRun;
import com.cleversync.sync.DistrictRuns;
import com.cleversync.sync.Failures;
import com.cleversync.sync.SyncDistricts;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;

/**
 * Keeps this replica's leases alive and takes over the runs of replicas that died. Every
 * {@code cleversync.control.lease-renewal} it renews the lease of each run in progress here and then,
 * once the service is ready and until it shuts down, starts a run for every configured district
 * whose lease went stale: that run resumes the dead replica's full sync from its checkpoints (or its
 * incremental sync from the event cursors), as any run after a crash does. It runs on a thread of its
 * own, outside Camel, so that no route an operator stops can stop the renewals.
 */
final class LeaseKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final ControlLeases leases;
    private final DistrictRuns runs;
    private final SyncDistricts districts;
    private final boolean takesOver;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "cleversync-leases");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean ready;

    /** @param takesOver false for run-once, which syncs its districts and nothing else */
    LeaseKeeper(ControlLeases leases, DistrictRuns runs, SyncDistricts districts, Duration renewal, boolean takesOver) {
        this.leases = leases;
        this.runs = runs;
        this.districts = districts;
        this.takesOver = takesOver;
        long period = renewal.toMillis();
        timer.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    @EventListener(ApplicationReadyEvent.class)
    void ready() {
        ready = true;
    }

    @EventListener(ContextClosedEvent.class)
    void closing() {
        ready = false; // renewals go on while the runs end; nothing new starts
    }

    void tick() {
        try {
            for (DistrictRun run : runs.running()) {
                if (!leases.renew(run.key(), run.id())) {
                    LOG.error("run {} district {} lost its lease: this replica did not renew it in time, and {} may"
                                    + " run the district now (a pause longer than cleversync.control.lease-ttl?)",
                            run.id(), run.key(), String.valueOf(leases.holder(run.key())));
                }
            }
            if (takesOver && ready) {
                for (ControlLeases.Stale stale : leases.stale()) {
                    takeOver(stale);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("district leases not renewed this time: {}", Failures.describe(e));
        }
    }

    private void takeOver(ControlLeases.Stale stale) {
        // a lease's key is the district's, or its attendance's (district/attendance, mode attendance)
        String district = DistrictRun.districtOf(stale.district());
        if (!districts.has(district) || "attendance".equals(stale.mode()) && districts.get(district).attendance() == null) {
            return; // a district this replica is not configured for (a configuration being rolled out)
        }
        DistrictRun run = runs.startInBackground(district, "takeover", stale.mode());
        if (run != null) {
            LOG.warn("district {}: replica {} stopped renewing its lease (run {}); run {} takes the {} sync over",
                    stale.district(), stale.replica(), stale.runId(), run.id(), stale.mode());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

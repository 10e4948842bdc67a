package com.cleversync.sync;

import com.cleversync.clever.CleverPage;
import com.cleversync.config.CleverSyncProperties;
import com.cleversync.school.SchoolDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Starts and finishes district runs and keeps the audit trail: a {@code sync_runs} row in every
 * school database at the start and its outcome at the end. At the start it reads where each
 * school's sync stands and decides between an incremental and a (possibly resumed) full sync; at
 * the end of a full sync it completes each school's pass (archiving, guarded). A district never
 * runs twice at once: not in this process, and, through its {@link DistrictLeases lease}, not on two
 * replicas. A trigger that arrives while its district is running anywhere is skipped.
 * A finished run is published as {@link RunFinished}, so that operations can act on it without the
 * sync knowing them.
 */
@Component
public class DistrictRuns {
    /** Headers that start a run on {@code direct:sync-district}. */
    public static final String DISTRICT = "CleverSyncDistrict";
    public static final String TRIGGER = "CleverSyncTrigger";
    /**
     * {@code full} (the default), {@code incremental} (falls back to full where it cannot be) or
     * {@code attendance} (the district's attendance sync, which runs beside its roster's).
     */
    public static final String MODE = "CleverSyncMode";
    /** Header naming a run reserved with {@link #reserve}: the run starts as that one. */
    public static final String RESERVED = "CleverSyncReservedRun";
    /** Exchange property holding the {@link DistrictRun} while it runs. */
    static final String RUN = "CleverSyncRun";

    private static final Logger LOG = LoggerFactory.getLogger(DistrictRuns.class);

    private final SyncDistricts districts;
    private final MassArchiveAcceptance acceptance;
    private final Duration eventRetention;
    private final double maxArchiveShare;
    private final Map<String, DistrictRun> running = new ConcurrentHashMap<>();
    /** Runs that may go on at once (max-concurrent-districts); taken in the order asked for. */
    private final Semaphore slots;
    private final SyncMetrics metrics;
    private final ApplicationEventPublisher events;
    private final DistrictLeases leases;
    private final Replica replica;
    private final ProducerTemplate producer;
    private final WriterLanes lanes;
    private final Clock clock;
    private volatile boolean shuttingDown;

    DistrictRuns(SyncDistricts districts, MassArchiveAcceptance acceptance, CleverSyncProperties properties,
                 SyncMetrics metrics, ApplicationEventPublisher events, Optional<DistrictLeases> leases,
                 Replica replica, ProducerTemplate producer, WriterLanes lanes, Clock clock) {
        this.districts = districts;
        this.clock = clock;
        this.lanes = lanes;
        this.metrics = metrics;
        this.events = events;
        this.leases = leases.orElse(DistrictLeases.SINGLE_REPLICA);
        this.replica = replica;
        this.producer = producer;
        this.acceptance = acceptance;
        this.eventRetention = properties.clever().eventRetention();
        this.maxArchiveShare = properties.sync().maxArchiveShare();
        this.slots = new Semaphore(properties.sync().maxConcurrentDistricts(), true);
    }

    /** The runs in progress (for live progress). */
    public Collection<DistrictRun> running() {
        return List.copyOf(running.values());
    }

    /**
     * Starts a run of a district in the background, for a caller that does not wait for it (the
     * management API, which answers with the run's id, and the takeover of a dead replica's run). The
     * run is reserved, here and cluster-wide, before this returns, so no other trigger starts one meanwhile.
     *
     * @param mode {@code full}, {@code incremental} or {@code attendance}
     * @return the run, or null when the district (or its attendance) is running, here or on another replica
     */
    public DistrictRun startInBackground(String district, String trigger, String mode) {
        DistrictRun run = new DistrictRun(districts.get(district), trigger, requested(districts.get(district), mode)
                == DistrictRun.Requested.ATTENDANCE);
        if (!reserve(run, mode)) {
            return null;
        }
        try {
            producer.asyncRequestBodyAndHeaders("direct:sync-district", null,
                    Map.of(DISTRICT, district, MODE, mode, RESERVED, run.id()));
        } catch (RuntimeException e) {
            unreserve(run);
            throw e;
        }
        return run;
    }

    /**
     * Who runs the district elsewhere in the cluster ("replica …, run …"), or null.
     *
     * @param key a run's {@link DistrictRun#key() key}: the district's, or its attendance's
     */
    public String runningElsewhere(String key) {
        return running.containsKey(key) ? null : leases.holder(key);
    }

    /**
     * What a trigger's mode asks for.
     *
     * @throws IllegalArgumentException for attendance in a district without it
     */
    static DistrictRun.Requested requested(SyncDistrict district, String mode) {
        if ("attendance".equalsIgnoreCase(mode)) {
            if (district.attendance() == null) {
                throw new IllegalArgumentException("district " + district.key() + " has no attendance configured");
            }
            return DistrictRun.Requested.ATTENDANCE;
        }
        return "incremental".equalsIgnoreCase(mode) ? DistrictRun.Requested.INCREMENTAL : DistrictRun.Requested.FULL;
    }

    /** Reserves the district for the run, in this process and then cluster-wide; false when it is running. */
    private boolean reserve(DistrictRun run, String mode) {
        String district = run.key();
        if (running.putIfAbsent(district, run) != null) {
            return false;
        }
        boolean leased = false;
        try {
            leased = leases.acquire(district, run.id(), mode);
            return leased;
        } finally {
            if (!leased) {
                running.remove(district, run);
            }
        }
    }

    private void unreserve(DistrictRun run) {
        try {
            leases.release(run.key(), run.id(), false);
        } finally {
            running.remove(run.key(), run);
        }
    }

    /** From now on a run cut short by the shutdown hands its lease over to another replica. */
    @EventListener(ContextClosedEvent.class)
    void shuttingDown() {
        shuttingDown = true;
    }

    /**
     * Starts a run of the district, or returns null (and logs why) when the district is running,
     * here or on another replica: the trigger is then skipped.
     *
     * @param mode     {@code incremental}, or anything else for a full sync
     * @param reserved the id of a run reserved with {@link #startInBackground}, or null
     */
    public DistrictRun begin(@Header(DISTRICT) String districtKey, @Header(MODE) String mode,
                             @Header(TRIGGER) String trigger, @Header(RESERVED) String reserved) throws InterruptedException {
        SyncDistrict district = districts.get(districtKey);
        DistrictRun.Requested requested = requested(district, mode);
        boolean attendance = requested == DistrictRun.Requested.ATTENDANCE;
        DistrictRun run = running.get(DistrictRun.key(district.key(), attendance));
        if (run == null || !run.id().equals(reserved)) {
            run = new DistrictRun(district, trigger == null ? "manual" : trigger, attendance);
            if (!reserve(run, requested.name().toLowerCase(Locale.ROOT))) {
                String elsewhere = runningElsewhere(run.key());
                LOG.warn("district {} is already syncing{}{}; the {} trigger is skipped", district.key(),
                        attendance ? " its attendance" : "", elsewhere == null ? "" : " on " + elsewhere, run.trigger());
                return null;
            }
        }
        boolean slotTaken = false;
        try {
            takeSlot(run);
            slotTaken = true;
            start(run, requested);
            return run;
        } catch (RuntimeException | InterruptedException e) {
            // the run's end (record) follows only a run that started: give the district and its slot back here
            unreserve(run);
            if (slotTaken) {
                slots.release();
            }
            throw e;
        }
    }

    private void start(DistrictRun run, DistrictRun.Requested requested) {
        SyncDistrict district = run.district();
        String trigger = run.trigger();
        RunLogContext.enter(run);
        if (run.attendance()) {
            run.attendancePlan(new AttendancePlan(run, district.attendance(),
                    LocalDate.now(clock.withZone(ZoneId.of(district.timeZone())))));
        }
        for (SchoolRun school : run.schools()) {
            SchoolDatabase db = school.school().database();
            try {
                db.recordRunStart(run.id(), district.key(), school.school().key(), trigger, replica.name(), run.attendance());
                if (run.attendance()) {
                    run.attendancePlan().start(school, db.readAttendanceState(district.key()));
                } else {
                    school.state(db.readState(district.key()));
                }
            } catch (Exception e) {
                school.fail("school database unavailable: " + Failures.describe(e));
                LOG.warn("run {} district {} school {} cannot start: {}",
                        run.id(), district.key(), school.school().key(), school.errorSummary());
            }
        }
        if (run.attendance()) {
            recordModes(run);
            AttendancePlan plan = run.attendancePlan();
            LOG.info("run {} district {} attendance sync ({}) started by {} for {} schools, today {}, correction"
                    + " window from {}", run.id(), district.key(), plan.source(), trigger, run.schools().size(),
                    plan.today(), plan.windowStart());
            return;
        }
        run.plan().decide(requested, eventRetention);
        recordModes(run);
        LOG.info("run {} district {} {} sync started by {} for {} schools{}", run.id(), district.key(),
                run.incremental() ? "incremental" : "full", trigger, run.schools().size(),
                run.fullSyncReason() == null ? "" : " (full because " + run.fullSyncReason() + ")");
    }

    /**
     * Waits until fewer than {@code max-concurrent-districts} runs are going on: a thousand districts
     * on one cron then run a few at a time, in the order they asked, instead of all at once. The run
     * is already reserved, so no other trigger starts the district meanwhile.
     */
    private void takeSlot(DistrictRun run) throws InterruptedException {
        if (!slots.tryAcquire()) {
            LOG.info("run {} district {} waits for a free slot (cleversync.sync.max-concurrent-districts)",
                    run.id(), run.district().key());
            slots.acquire();
        }
    }

    /** The run's source, which names the routes that read it ({@code clever}, {@code oneroster}). */
    public String source(@ExchangeProperty(RUN) DistrictRun run) {
        return run.attendance() ? "attendance" : run.district().source().name();
    }

    /** Clever rejected the event cursor: the run continues as a full sync, which says why in sync_runs. */
    public void fallBackToFull(@ExchangeProperty(RUN) DistrictRun run, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception e) {
        fallBackToFull(run, "Clever rejected the event cursor: " + e.getMessage());
    }

    /** The OneRoster provider gives no deltas: the run continues as a full sync, which says why in sync_runs. */
    public void deltasRefused(@ExchangeProperty(RUN) DistrictRun run, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception e) {
        fallBackToFull(run, "no incremental sync: " + Failures.unwrapped(e).getMessage());
    }

    private void fallBackToFull(DistrictRun run, String reason) {
        run.plan().fallBackToFull(reason, eventRetention);
        LOG.warn("run {} district {}: {}; running a full sync instead", run.id(), run.district().key(),
                run.fullSyncReason());
        recordModes(run);
    }

    /** A source without a change feed: the full sync's start is where the next incremental sync begins. */
    public void watermark(@ExchangeProperty(RUN) DistrictRun run) {
        run.plan().newestEvent(run.plan().watermark());
    }

    /**
     * A collection's total changed while it was paged by offset, so a record may have been skipped:
     * the full sync completes, but archives nothing this time.
     */
    void listingShifted(DistrictRun run, String collection, long before, long after) {
        String reason = "the provider's " + collection + " total changed from " + before + " to " + after
                + " while it was paged, so a record may have been skipped: nothing archived this time";
        run.plan().holdBackArchiving(reason);
        LOG.warn("run {} district {}: {}", run.id(), run.district().key(), reason);
    }

    /** The newest event before the full sync reads the lists: where the incremental sync will start. */
    public void newestEvent(@Body CleverPage<?> page, @ExchangeProperty(RUN) DistrictRun run) {
        run.plan().newestEvent(page.lastId()); // the page of ending_before=last&limit=1
    }

    /** Clever refused the events feed (events not enabled?): the full sync still runs. */
    public void eventsUnavailable(@ExchangeProperty(RUN) DistrictRun run,
                                  @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception e) {
        LOG.warn("run {} district {}: Clever's events feed is unavailable ({}); incremental syncs will fall back to full",
                run.id(), run.district().key(),
                Failures.describe(e));
        run.plan().newestEvent(null);
    }

    /** Records a checkpoint in every school starting a fresh full sync (resumed ones have theirs). */
    public void beginPasses(@ExchangeProperty(RUN) DistrictRun run) {
        for (SchoolRun school : run.schools()) {
            if (school.failed() || school.unfinished() != null) {
                continue;
            }
            try {
                school.school().database().beginPass(run.district().key(), school.passId(), school.passEventCursor(),
                        school.passStartedAt());
            } catch (Exception e) {
                school.fail("school database unavailable: " + Failures.describe(e));
            }
        }
    }

    /**
     * Completes each school's full sync once its batches are written: archives what the source no
     * longer lists (unless the guard stops it) and hands over to the incremental sync. A school
     * that lost records in this run keeps its checkpoint, so the next run resumes it.
     */
    public void completePasses(@ExchangeProperty(RUN) DistrictRun run) throws InterruptedException {
        lanes.awaitBatches(run);
        for (SchoolRun school : run.schools()) {
            if (school.errorSummary() != null) {
                continue;
            }
            try {
                String heldBack = run.plan().archivingHeldBack();
                SchoolDatabase.PassOutcome outcome = school.school().database().completePass(run.district().key(),
                        school.passId(), maxArchiveShare, heldBack == null && acceptance.consume(school.school()),
                        heldBack);
                school.archived(outcome.archived());
                if (outcome.guard() != null) {
                    school.warn(outcome.guard());
                    metrics.massArchiveGuardTripped(school);
                    LOG.warn("run {} school {}: {}", run.id(), school.school().routeId(), outcome.guard());
                }
            } catch (Exception e) {
                school.fail("completing the full sync failed: " + Failures.describe(e));
            }
        }
    }

    public void fail(@ExchangeProperty(RUN) DistrictRun run, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception e) {
        String reason = (run.attendance() ? "attendance (" + run.attendancePlan().source() + ")"
                : run.district().source().title()) + " sync failed: " + Failures.describe(e);
        run.fail(reason);
        LOG.error("run {} district {} failed: {}", run.id(), run.district().key(), reason);
    }

    /** Ends the run: waits for its batches and records its outcome; the run is the route's answer. */
    public DistrictRun finish(@ExchangeProperty(RUN) DistrictRun run) throws InterruptedException {
        try {
            record(run);
        } finally {
            RunLogContext.leave();
        }
        return run;
    }

    /**
     * Waits for the run's batches, then writes each school's outcome to its sync_runs row, logs the
     * summary and publishes the run's end.
     */
    private void record(DistrictRun run) throws InterruptedException {
        lanes.awaitBatches(run);
        run.finish();
        for (SchoolRun school : run.schools()) {
            try {
                school.school().database().recordRunEnd(run.id(), school.status().name(),
                        new SchoolDatabase.RunCounts(school.read(), school.written(), school.unchanged(), run.skipped(),
                                school.rejected(), school.superseded(), school.archived(), school.resumedRecords()),
                        school.errorSummary());
            } catch (Exception e) {
                LOG.warn("run {} school {}: outcome not recorded in sync_runs: {}",
                        run.id(), school.school().routeId(), Failures.describe(e));
            }
            school.school().database().releaseIdleConnections(); // a waiting school holds no connection
        }
        try {
            leases.release(run.key(), run.id(), shuttingDown && !run.succeeded());
        } catch (RuntimeException e) {
            LOG.warn("run {} district {}: its lease was not released ({}); it expires on its own",
                    run.id(), run.district().key(), Failures.describe(e));
        }
        running.remove(run.key(), run);
        slots.release(); // every run that started holds a slot
        metrics.runFinished(run);
        LOG.info("{}", SyncSummary.of(run));
        events.publishEvent(new RunFinished(run));
    }

    private void recordModes(DistrictRun run) {
        for (SchoolRun school : run.schools()) {
            if (school.failed()) {
                continue;
            }
            try {
                school.school().database().recordRunMode(run.id(), school.mode(), run.attendance()
                        ? run.attendancePlan().reading(school) : run.fullSyncReason(),
                        school.unfinished() == null ? null : school.unfinished().passId());
            } catch (Exception e) {
                LOG.warn("run {} school {}: mode not recorded in sync_runs: {}",
                        run.id(), school.school().routeId(), Failures.describe(e));
            }
        }
    }
}

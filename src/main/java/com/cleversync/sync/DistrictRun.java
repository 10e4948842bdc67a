package com.cleversync.sync;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One run of a district's sync: its id, trigger, the schools taking part, its progress and the
 * district-wide counts. Its {@link RunPlan} decides how it syncs and where, its
 * {@link RecordRouting} sends records to schools, and its {@link BatchTracking} follows its batches
 * through the writer lanes.
 */
public final class DistrictRun {
    /** What follows the district's key in the key of its attendance runs. */
    private static final String ATTENDANCE_KEY = "/attendance";

    /** What a trigger asks for: a full sync, an incremental one where possible, or the attendance sync. */
    public enum Requested { FULL, INCREMENTAL, ATTENDANCE }


    private final String id = UUID.randomUUID().toString();
    private final SyncDistrict district;
    private final String trigger;
    private final Instant startedAt = Instant.now();
    private final List<SchoolRun> schools;
    private final RecordRouting routing;
    private final BatchTracking batches = new BatchTracking();
    private final RunPlan plan;
    /** An attendance run reads attendance instead of the roster, and is planned by its AttendancePlan. */
    private final boolean attendance;
    private volatile AttendancePlan attendancePlan;
    private volatile Instant finishedAt;
    /** The list (or the changes) being read, and the pages read so far (for live progress). */
    private volatile String currentList;
    private final AtomicLong pages = new AtomicLong();

    DistrictRun(SyncDistrict district, String trigger) {
        this(district, trigger, false);
    }

    DistrictRun(SyncDistrict district, String trigger, boolean attendance) {
        this.district = district;
        this.trigger = trigger;
        this.attendance = attendance;
        List<SchoolRun> runs = new ArrayList<>();
        for (SyncSchool school : district.schools()) {
            SchoolRun run = new SchoolRun(this, school);
            runs.add(run);
        }
        this.schools = List.copyOf(runs);
        this.routing = new RecordRouting(this);
        this.plan = new RunPlan(this);
    }

    public String id() {
        return id;
    }

    public SyncDistrict district() {
        return district;
    }

    /**
     * What the run holds while it runs, here and cluster-wide: the district's key for its roster, and
     * {@code <district>/attendance} for its attendance, which runs beside the roster.
     */
    public String key() {
        return key(district.key(), attendance);
    }

    /** The key of a district's roster runs, or of its attendance runs. */
    public static String key(String district, boolean attendance) {
        return attendance ? district + ATTENDANCE_KEY : district;
    }

    /** The district a run's key belongs to. */
    public static String districtOf(String key) {
        return key.endsWith(ATTENDANCE_KEY) ? key.substring(0, key.length() - ATTENDANCE_KEY.length()) : key;
    }

    /** Whether the run syncs the district's attendance (else its roster). */
    public boolean attendance() {
        return attendance;
    }

    /** What an attendance run reads (set when it starts). */
    AttendancePlan attendancePlan() {
        return attendancePlan;
    }

    void attendancePlan(AttendancePlan plan) {
        this.attendancePlan = plan;
    }

    public String trigger() {
        return trigger;
    }

    public List<SchoolRun> schools() {
        return schools;
    }

    /** The source's lists in sync order. */
    List<String> lists() {
        return district.lists();
    }

    public boolean incremental() {
        return plan.incremental();
    }

    /** Why this run is a full sync although an incremental one was asked for, or null. */
    public String fullSyncReason() {
        return plan.fullSyncReason();
    }

    /** How the run syncs, where each list starts and which checkpoints its pages reach. */
    RunPlan plan() {
        return plan;
    }

    public long read() {
        return routing.read();
    }

    /** Records that belong to no configured school (never written anywhere). */
    public long skipped() {
        return routing.skipped();
    }

    /** Which schools each record of the run goes to. */
    RecordRouting routing() {
        return routing;
    }

    /** The run's batches on their way through the writer lanes. */
    BatchTracking batches() {
        return batches;
    }

    /** The list or feed being read now (the source's name for it), or null. */
    public String currentList() {
        return currentList;
    }

    /** Pages of lists and events read so far in this run. */
    public long pages() {
        return pages.get();
    }

    void pageRead(String list) {
        currentList = list;
        pages.incrementAndGet();
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** When the run ended (its batches written), or null while it runs. */
    public Instant finishedAt() {
        return finishedAt;
    }

    public Duration elapsed() {
        return Duration.between(startedAt, finishedAt == null ? Instant.now() : finishedAt);
    }

    public boolean succeeded() {
        return schools.stream().allMatch(s -> s.status() == SchoolRun.Status.SUCCEEDED);
    }

    LocalDateTime startedAtUtc() {
        return LocalDateTime.ofInstant(startedAt, ZoneOffset.UTC);
    }

    Stream<SchoolRun> healthy() {
        return schools.stream().filter(s -> !s.failed());
    }

    /** A failure of the whole district (e.g. Clever unreachable) fails every school. */
    void fail(String reason) {
        schools.forEach(s -> s.fail(reason));
    }

    /** The run has ended: its batches are written (or given up on). */
    void finish() {
        finishedAt = Instant.now();
    }
}

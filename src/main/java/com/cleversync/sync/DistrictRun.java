package com.cleversync.sync;

import com.cleversync.clever.CleverPage;
import com.cleversync.clever.CleverResource;
import com.cleversync.school.Checkpoint;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One run of a district's sync: its id, how it syncs (full or incremental), the schools taking
 * part, and the district-wide counts. It decides where each list starts (a resumed full sync skips
 * what its schools already committed) and which checkpoint each school reaches at the end of a
 * page; its {@link RecordRouting} sends records to schools and its {@link BatchTracking} follows
 * its batches through the writer lanes.
 */
public final class DistrictRun {
    /** What a trigger asks for: a full sync, or an incremental one where possible. */
    public enum Requested { FULL, INCREMENTAL }


    private final String id = UUID.randomUUID().toString();
    private final SyncDistrict district;
    private final String trigger;
    private final Instant startedAt = Instant.now();
    private final List<SchoolRun> schools;
    private final RecordRouting routing;
    private final BatchTracking batches = new BatchTracking();
    private volatile boolean incremental;
    /** Why a full sync runs where an incremental one was asked for, or null. */
    private volatile String fullSyncReason;
    /** Clever's newest event when the full sync began: where the incremental sync will start. */
    private volatile String newestEvent;
    private volatile Instant finishedAt;
    /** The list (or the events feed) being read, and the pages read so far (for live progress). */
    private volatile CleverResource currentList;
    private final AtomicLong pages = new AtomicLong();

    DistrictRun(SyncDistrict district, String trigger) {
        this.district = district;
        this.trigger = trigger;
        List<SchoolRun> runs = new ArrayList<>();
        for (SyncSchool school : district.schools()) {
            SchoolRun run = new SchoolRun(this, school);
            runs.add(run);
        }
        this.schools = List.copyOf(runs);
        this.routing = new RecordRouting(this);
    }

    public String id() {
        return id;
    }

    public SyncDistrict district() {
        return district;
    }

    public String trigger() {
        return trigger;
    }

    public List<SchoolRun> schools() {
        return schools;
    }

    public boolean incremental() {
        return incremental;
    }

    /** Why this run is a full sync although an incremental one was asked for, or null. */
    public String fullSyncReason() {
        return fullSyncReason;
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

    /** The list or feed being read now, or null. */
    public CleverResource currentList() {
        return currentList;
    }

    /** Pages of lists and events read so far in this run. */
    public long pages() {
        return pages.get();
    }

    void pageRead(CleverResource list) {
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

    /**
     * Decides how the run syncs, from what each school's database says: incremental when asked and
     * every school has a fresh event cursor and no interrupted full sync; otherwise full, and every
     * school with an interrupted full sync younger than the event retention resumes it.
     */
    void decide(Requested requested, Duration eventRetention) {
        LocalDateTime oldestUsable = startedAtUtc().minus(eventRetention);
        if (requested == Requested.INCREMENTAL) {
            fullSyncReason = healthy().map(s -> s.whyNotIncremental(oldestUsable)).filter(Objects::nonNull)
                    .findFirst().orElse(null);
            incremental = fullSyncReason == null && healthy().findAny().isPresent();
        }
        if (!incremental) {
            healthy().forEach(s -> s.resumeIfFresh(oldestUsable));
        }
    }

    /** Clever rejected the event cursor: the run becomes a full sync (and resumes where it can). */
    void fallBackToFull(String reason, Duration eventRetention) {
        incremental = false;
        fullSyncReason = reason;
        decide(Requested.FULL, eventRetention);
    }

    void newestEvent(String eventId) {
        this.newestEvent = eventId;
    }

    String newestEvent() {
        return newestEvent;
    }

    /**
     * The first page of a list, or null when no school needs any of it: a resumed full sync starts
     * each list after the records every school has committed; the events feed starts after the
     * oldest cursor of the schools.
     */
    String firstPage(CleverResource resource, int pageSize) {
        List<SchoolRun> healthy = healthy().toList();
        if (healthy.isEmpty()) {
            return null;
        }
        if (resource == CleverResource.EVENTS) {
            if (healthy.stream().anyMatch(s -> s.eventCursor() == null)) {
                return resource.firstPage(pageSize);
            }
            return resource.pageAfter(pageSize, healthy.stream().map(SchoolRun::eventCursor)
                    .min(Comparator.naturalOrder()).orElseThrow());
        }
        String start = null;
        boolean anyNeedsList = false;
        for (SchoolRun school : healthy) {
            switch (school.progressIn(resource)) {
                case NOT_STARTED -> {
                    return resource.firstPage(pageSize);
                }
                case DONE -> { }
                case PARTLY -> {
                    anyNeedsList = true;
                    String after = school.unfinished().lastId();
                    start = start == null || after.compareTo(start) < 0 ? after : start;
                }
            }
        }
        return anyNeedsList ? resource.pageAfter(pageSize, start) : null;
    }

    /** The checkpoint each school reaches once a page of a list (ending with {@code lastId}) is written. */
    Map<SchoolRun, Checkpoint> checkpoints(CleverResource resource, String lastId) {
        Map<SchoolRun, Checkpoint> checkpoints = new LinkedHashMap<>();
        if (lastId != null) {
            healthy().filter(s -> !s.alreadyCommitted(resource, lastId))
                    .forEach(s -> checkpoints.put(s, new Checkpoint.InList(resource, lastId, s.recordsDone())));
        }
        return checkpoints;
    }

    /**
     * The cursor each school reaches once a page of events (read to its end) is written: after the
     * page where the page is new to the school; the time the feed was last read to its end only on
     * its last page (until then the stored one stays).
     */
    Map<SchoolRun, Checkpoint> eventCheckpoints(CleverPage page) {
        String lastId = page.lastId();
        LocalDateTime checkedAt = page.next() == null ? startedAtUtc() : null;
        Map<SchoolRun, Checkpoint> checkpoints = new LinkedHashMap<>();
        healthy().forEach(s -> checkpoints.put(s,
                new Checkpoint.AfterEvent(lastId != null && s.applies(lastId) ? lastId : null, checkedAt)));
        return checkpoints;
    }

    private Stream<SchoolRun> healthy() {
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

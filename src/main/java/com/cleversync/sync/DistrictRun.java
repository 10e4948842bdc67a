package com.cleversync.sync;

import com.cleversync.clever.CleverEvent;
import com.cleversync.clever.CleverPage;
import com.cleversync.clever.CleverRecord;
import com.cleversync.clever.CleverResource;
import com.cleversync.school.Checkpoint;
import com.cleversync.school.SchoolRecord;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a district's sync: its id, how it syncs (full or incremental), the schools taking
 * part, and the district-wide counts. It decides which schools a record or event goes to, where
 * each list starts (a resumed full sync skips what its schools already committed) and which
 * checkpoint each school reaches at the end of a page.
 */
public final class DistrictRun {
    /** What a trigger asks for: a full sync, or an incremental one where possible. */
    public enum Requested { FULL, INCREMENTAL }

    private static final Logger LOG = LoggerFactory.getLogger(DistrictRun.class);
    private static final Duration MAX_WAIT_FOR_BATCHES = Duration.ofMinutes(10);

    private final String id = UUID.randomUUID().toString();
    private final SyncDistrict district;
    private final String trigger;
    private final Instant startedAt = Instant.now();
    private final List<SchoolRun> schools;
    private final Map<String, SchoolRun> byCleverId = new LinkedHashMap<>();
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile boolean incremental;
    /** Why a full sync runs where an incremental one was asked for, or null. */
    private volatile String fullSyncReason;
    /** Clever's newest event when the full sync began: where the incremental sync will start. */
    private volatile String newestEvent;
    private volatile Instant finishedAt;
    /** The list (or the events feed) being read, and the pages read so far (for live progress). */
    private volatile CleverResource currentList;
    private final AtomicLong pages = new AtomicLong();
    /** Batches handed to writer threads and not yet written (or failed). */
    private int batchesInFlight;

    DistrictRun(SyncDistrict district, String trigger) {
        this.district = district;
        this.trigger = trigger;
        List<SchoolRun> runs = new ArrayList<>();
        for (SyncSchool school : district.schools()) {
            SchoolRun run = new SchoolRun(this, school);
            runs.add(run);
            byCleverId.put(school.cleverId(), run);
        }
        this.schools = List.copyOf(runs);
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
        return read.get();
    }

    /** Records that belong to no configured school (never written anywhere). */
    public long skipped() {
        return skipped.get();
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

    /**
     * The configured, still healthy schools a list record goes to; counts it as skipped when it
     * belongs to no configured school; a school whose interrupted full sync committed it already skips it.
     */
    List<SchoolRun> route(SchoolRecord record) {
        List<SchoolRun> targets = read(record);
        List<SchoolRun> routed = new ArrayList<>(targets.size());
        for (SchoolRun school : targets) {
            if (school.failed()) {
                continue;
            }
            if (!school.alreadyCommitted(record.resource(), record.id())) {
                school.routed();
                routed.add(school);
            }
        }
        return routed;
    }

    /**
     * A page of events as batches per school. Clever sends one event per change, each carrying the
     * whole record, so a record's last event in the page holds its state: only that one is applied,
     * in the order of the records' last events, and the earlier ones count as superseded in the schools
     * they were routed to. Each school gets the records that belong to it and that it has not applied
     * yet. Where each record ended up (its schools, or none once deleted) decides what every other
     * school archives: a student who moved, a deleted section. A school's last batch of the page
     * carries those archives and the cursor after the page, so both commit with the page's last records.
     */
    List<SchoolBatch> eventBatches(CleverPage page, int batchSize, Function<CleverRecord, SchoolRecord> mapping) {
        Map<RecordKey, Change> changes = new LinkedHashMap<>();
        for (CleverRecord record : page) {
            CleverEvent event = CleverEvent.of(record);
            for (CleverRecord changed : event.records()) {
                if (changed.id() != null) {
                    RecordKey key = new RecordKey(changed.resource(), changed.id());
                    // removed and put again, so that records apply in the order of their last events
                    Change earlier = changes.remove(key);
                    if (earlier != null) {
                        earlier.upsertIn().forEach(school -> school.superseded(1));
                    }
                    changes.put(key, change(event, changed, mapping));
                }
            }
        }
        String lastId = page.lastId();
        // the feed is known complete only once its last page is read; until then the time stays
        LocalDateTime checkedAt = page.next() == null ? startedAtUtc() : null;
        List<SchoolBatch> batches = new ArrayList<>();
        healthy().forEach(school -> {
            boolean applies = lastId != null && school.applies(lastId);
            SchoolBatch batch = new SchoolBatch(school);
            List<SchoolRecord> archive = new ArrayList<>();
            for (Map.Entry<RecordKey, Change> e : changes.entrySet()) {
                Change change = e.getValue();
                if (change.upsertIn().contains(school)) {
                    if (batch.records().size() == batchSize) {
                        batches.add(batch);
                        batch = new SchoolBatch(school);
                    }
                    batch.add(new RoutedRecord(school, change.record()));
                } else if (applies && !change.placedIn().contains(school)) {
                    archive.add(SchoolRecord.archive(e.getKey().resource(), e.getKey().id()));
                }
            }
            batch.add(new PositionMark(school, new Checkpoint.AfterEvent(applies ? lastId : null, checkedAt), archive));
            batches.add(batch);
        });
        batches.forEach(b -> b.school().batchSubmitted());
        return batches;
    }

    /**
     * An event's record: upserted in the schools it belongs to that have yet to apply the event, and
     * archived in the others; a deleted one is archived everywhere.
     */
    private Change change(CleverEvent event, CleverRecord changed, Function<CleverRecord, SchoolRecord> mapping) {
        if (event.deleted()) {
            return Change.DELETED;
        }
        SchoolRecord record = mapping.apply(changed);
        List<SchoolRun> targets = read(record);
        List<SchoolRun> upsertIn = new ArrayList<>(targets.size());
        for (SchoolRun school : targets) {
            if (!school.failed() && school.applies(event.id())) {
                school.routed();
                upsertIn.add(school);
            }
        }
        // a record that cannot be stored stays where it was: it is quarantined, not moved
        return new Change(record, upsertIn, record.rejected() ? schools : targets);
    }

    /** A record of an events page. */
    private record RecordKey(CleverResource resource, String id) {}

    /**
     * What an event does to its record: upserts it in {@code upsertIn}; the record now belongs to
     * {@code placedIn} (none once deleted), so every other school archives it.
     */
    private record Change(SchoolRecord record, List<SchoolRun> upsertIn, List<SchoolRun> placedIn) {
        static final Change DELETED = new Change(null, List.of(), List.of());
    }

    /** The checkpoint each school reaches once a page of a list is written. */
    List<PositionMark> checkpoints(CleverResource resource, CleverPage page) {
        String lastId = page.lastId();
        if (lastId == null) {
            return List.of();
        }
        return healthy().filter(s -> !s.alreadyCommitted(resource, lastId))
                .map(s -> new PositionMark(s, new Checkpoint.InList(resource, lastId, s.recordsDone()), List.of()))
                .toList();
    }

    /**
     * Counts a record read and returns the configured schools it belongs to; a record that belongs to
     * none is counted as skipped (and written nowhere, not even to a quarantine).
     */
    private List<SchoolRun> read(SchoolRecord record) {
        read.incrementAndGet();
        List<SchoolRun> targets = schoolsOf(record);
        if (targets.isEmpty()) {
            skipped.incrementAndGet();
            if (record.rejected()) {
                LOG.warn("run {} district {}: a {} record ({}) cannot be routed to any school to be quarantined: {};"
                        + " counted as skipped", id, district.key(), record.resource().label(), record.id(),
                        record.rejectReason());
            }
        }
        return targets;
    }

    private List<SchoolRun> schoolsOf(SchoolRecord record) {
        List<SchoolRun> targets = new ArrayList<>(1);
        if (record.belongsToEverySchool()) {
            targets.addAll(schools);
        } else {
            for (String cleverId : record.schools()) {
                SchoolRun run = byCleverId.get(cleverId);
                if (run != null) {
                    targets.add(run);
                }
            }
        }
        return targets;
    }

    private Stream<SchoolRun> healthy() {
        return schools.stream().filter(s -> !s.failed());
    }

    /** A failure of the whole district (e.g. Clever unreachable) fails every school. */
    void fail(String reason) {
        schools.forEach(s -> s.fail(reason));
    }

    synchronized void batchSubmitted() {
        batchesInFlight++;
    }

    synchronized void batchDone() {
        if (--batchesInFlight == 0) {
            notifyAll();
        }
    }

    /**
     * Waits until every batch of this run has been written or has failed. The wait is bounded: a
     * batch that never reports back (e.g. refused by writers shutting down) must not hang the
     * district; its records then show as not written and the school as FAILED.
     */
    synchronized void awaitBatches() throws InterruptedException {
        long deadline = System.nanoTime() + MAX_WAIT_FOR_BATCHES.toNanos();
        while (batchesInFlight > 0) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                LOG.warn("run {} district {}: {} batches still not written after {}; ending the run",
                        id, district.key(), batchesInFlight, MAX_WAIT_FOR_BATCHES);
                return;
            }
            wait(left);
        }
    }

    /** Ends the run once its batches are written. */
    void finish() throws InterruptedException {
        awaitBatches();
        finishedAt = Instant.now();
    }
}

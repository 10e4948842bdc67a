package com.cleversync.sync;

import com.cleversync.school.Checkpoint;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * How a run syncs, from what each school's database says: incremental or full (and why), where each
 * list or the source's changes start (a resumed full sync skips what its schools already committed),
 * and the checkpoint each school reaches at the end of a page.
 */
final class RunPlan {
    /**
     * Where reading starts: not at all (no school needs any of it), at the beginning (after null),
     * or after the record or change {@code after}.
     */
    record Start(boolean needed, String after) {
        static final Start NOT_NEEDED = new Start(false, null);
        static final Start AT_THE_BEGINNING = new Start(true, null);
    }

    /** A watermark's form: fixed width, so that watermarks compare as text in time order. */
    private static final DateTimeFormatter WATERMARK = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final DistrictRun run;
    private volatile boolean incremental;
    /** Why this run's full sync may not archive (its reading was not reliable), or null. */
    private volatile String archivingHeldBack;
    /** Why a full sync runs where an incremental one was asked for, or null. */
    private volatile String fullSyncReason;
    /** The source's newest change when the full sync began: where the incremental sync will start. */
    private volatile String newestEvent;

    RunPlan(DistrictRun run) {
        this.run = run;
    }

    boolean incremental() {
        return incremental;
    }

    String fullSyncReason() {
        return fullSyncReason;
    }

    /**
     * Decides how the run syncs, from what each school's database says: incremental when asked and
     * every school has a fresh event cursor and no interrupted full sync; otherwise full, and every
     * school with an interrupted full sync younger than the event retention resumes it.
     */
    void decide(DistrictRun.Requested requested, Duration eventRetention) {
        LocalDateTime oldestUsable = run.startedAtUtc().minus(eventRetention);
        if (requested == DistrictRun.Requested.INCREMENTAL) {
            fullSyncReason = healthy().map(s -> s.whyNotIncremental(oldestUsable)).filter(Objects::nonNull)
                    .findFirst().orElse(null);
            incremental = fullSyncReason == null && healthy().findAny().isPresent();
        }
        if (!incremental) {
            healthy().forEach(s -> s.resumeIfFresh(oldestUsable));
        }
    }

    /** The source rejected the cursor: the run becomes a full sync (and resumes where it can). */
    void fallBackToFull(String reason, Duration eventRetention) {
        incremental = false;
        fullSyncReason = reason;
        decide(DistrictRun.Requested.FULL, eventRetention);
    }

    void newestEvent(String eventId) {
        this.newestEvent = eventId;
    }

    String newestEvent() {
        return newestEvent;
    }

    /**
     * The position of a source without a change feed (OneRoster): the time the run started. A full sync
     * hands it to the incremental sync, which asks for what changed since it and moves it on.
     */
    String watermark() {
        return WATERMARK.format(run.startedAt());
    }

    /** Where a delta starts: the schools' oldest watermark less the margin (the beginning of time when one has none). */
    String deltaSince(Duration margin) {
        Start start = changesStart();
        Instant since = start.after() == null ? Instant.EPOCH : Instant.parse(start.after()).minus(margin);
        return WATERMARK.format(since);
    }

    /** The full sync read something unreliably: it completes, but archives nothing (and says why). */
    void holdBackArchiving(String reason) {
        if (archivingHeldBack == null) {
            archivingHeldBack = reason;
        }
    }

    String archivingHeldBack() {
        return archivingHeldBack;
    }

    /**
     * Where a list starts: a resumed full sync starts each list after the records every school has
     * committed, and skips a list every school has.
     */
    Start listStart(String list) {
        String after = null;
        boolean anyNeedsList = false;
        for (SchoolRun school : healthy().toList()) {
            switch (school.progressIn(list)) {
                case NOT_STARTED -> {
                    return Start.AT_THE_BEGINNING;
                }
                case DONE -> { }
                case PARTLY -> {
                    if (!run.district().source().resumesWithinList()) {
                        return Start.AT_THE_BEGINNING;
                    }
                    anyNeedsList = true;
                    String committed = school.unfinished().lastId();
                    after = after == null || committed.compareTo(after) < 0 ? committed : after;
                }
            }
        }
        return anyNeedsList ? new Start(true, after) : Start.NOT_NEEDED;
    }

    /** Where the changes start: after the oldest cursor of the schools (the beginning when one has none). */
    Start changesStart() {
        List<SchoolRun> healthy = healthy().toList();
        if (healthy.isEmpty()) {
            return Start.NOT_NEEDED;
        }
        if (healthy.stream().anyMatch(s -> s.eventCursor() == null)) {
            return Start.AT_THE_BEGINNING;
        }
        return new Start(true, healthy.stream().map(SchoolRun::eventCursor).min(Comparator.naturalOrder()).orElseThrow());
    }

    /**
     * The checkpoint each school reaches once a page of a list (ending with {@code lastId}) is written.
     * Where a resumed full sync reads the list again from its start, the records it counts as done
     * are those of the lists before it.
     */
    Map<SchoolRun, Checkpoint> checkpoints(String list, String lastId) {
        Map<SchoolRun, Checkpoint> checkpoints = new LinkedHashMap<>();
        boolean withinList = run.district().source().resumesWithinList();
        if (lastId != null) {
            healthy().filter(s -> !s.alreadyCommitted(list, lastId))
                    .forEach(s -> checkpoints.put(s, new Checkpoint.InList(list, lastId,
                            withinList ? s.recordsDone() : s.recordsDoneBefore(list))));
        }
        return checkpoints;
    }

    /**
     * The cursor each school reaches once a page of changes is written: after the page's last change
     * where the page is new to the school; the time the changes were last read to their end only on
     * their last page (until then the stored one stays).
     */
    Map<SchoolRun, Checkpoint> changeCheckpoints(String lastId, boolean complete) {
        LocalDateTime checkedAt = complete ? run.startedAtUtc() : null;
        Map<SchoolRun, Checkpoint> checkpoints = new LinkedHashMap<>();
        healthy().forEach(s -> checkpoints.put(s,
                new Checkpoint.AfterEvent(lastId != null && s.applies(lastId) ? lastId : null, checkedAt)));
        return checkpoints;
    }

    private Stream<SchoolRun> healthy() {
        return run.healthy();
    }
}

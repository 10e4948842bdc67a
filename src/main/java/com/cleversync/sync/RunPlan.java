package com.cleversync.sync;

import com.cleversync.clever.CleverPage;
import com.cleversync.clever.CleverResource;
import com.cleversync.school.Checkpoint;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * How a run syncs, from what each school's database says: incremental or full (and why), where each
 * list or the events feed starts (a resumed full sync skips what its schools already committed),
 * and the checkpoint each school reaches at the end of a page.
 */
final class RunPlan {
    private final DistrictRun run;
    private volatile boolean incremental;
    /** Why a full sync runs where an incremental one was asked for, or null. */
    private volatile String fullSyncReason;
    /** Clever's newest event when the full sync began: where the incremental sync will start. */
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

    /** Clever rejected the event cursor: the run becomes a full sync (and resumes where it can). */
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
        LocalDateTime checkedAt = page.next() == null ? run.startedAtUtc() : null;
        Map<SchoolRun, Checkpoint> checkpoints = new LinkedHashMap<>();
        healthy().forEach(s -> checkpoints.put(s,
                new Checkpoint.AfterEvent(lastId != null && s.applies(lastId) ? lastId : null, checkedAt)));
        return checkpoints;
    }

    private Stream<SchoolRun> healthy() {
        return run.healthy();
    }
}

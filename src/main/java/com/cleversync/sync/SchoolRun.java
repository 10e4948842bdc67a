package com.cleversync.sync;

import com.cleversync.school.BatchOutcome;
import com.cleversync.school.SchoolDatabase;
import com.cleversync.school.SyncState;
import java.time.LocalDateTime;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One school's part of a district run: where its sync stood when the run began, what was routed
 * to it, what its database did with it, and whether it failed. Its row in the school's
 * {@code sync_runs} is written from this.
 */
public final class SchoolRun {
    public enum Status { RUNNING, SUCCEEDED, PARTIAL, FAILED }

    /** How far an interrupted full sync got in one list. */
    enum ListProgress { NOT_STARTED, PARTLY, DONE }

    private final DistrictRun run;
    private final SyncSchool school;
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    /** Records routed here that a later event of the same record in the same page replaced. */
    private final AtomicLong superseded = new AtomicLong();
    private final AtomicLong archived = new AtomicLong();
    private volatile SyncState state = new SyncState(null, null);
    /** The interrupted full sync this run resumes, or null. */
    private volatile SyncState.Unfinished unfinished;
    private volatile String failure;
    /** A batch of this school could not be written: later batches must not commit past what it lost. */
    private volatile boolean lostWrite;
    /** Why the run completed without doing everything (the mass-archive guard), or null. */
    private volatile String warning;
    /** The list whose records were last routed here, and how many of them. */
    private volatile String listRouted;
    private volatile long readInList;

    SchoolRun(DistrictRun run, SyncSchool school) {
        this.run = run;
        this.school = school;
    }

    public String runId() {
        return run.id();
    }

    public SyncSchool school() {
        return school;
    }

    void state(SyncState state) {
        this.state = state;
    }

    /** Why this school cannot sync incrementally, or null when it can. */
    String whyNotIncremental(LocalDateTime oldestUsable) {
        if (state.unfinished() != null) {
            return "school " + school.key() + " has an interrupted full sync to resume";
        }
        if (state.incremental() == null) {
            return "school " + school.key() + " has no event cursor yet (no complete full sync)";
        }
        if (state.incremental().cursorCheckedAt().isBefore(oldestUsable)) {
            return "school " + school.key() + "'s event cursor was last confirmed at "
                    + state.incremental().cursorCheckedAt() + " UTC, beyond " + run.district().source().changesKept();
        }
        return null;
    }

    /** Resumes the interrupted full sync, unless it began beyond the event retention (then it starts over). */
    void resumeIfFresh(LocalDateTime oldestUsable) {
        SyncState.Unfinished u = state.unfinished();
        unfinished = u != null && !u.startedAt().isBefore(oldestUsable) ? u : null;
    }

    /** The interrupted full sync this run resumes, or null. */
    public SyncState.Unfinished unfinished() {
        return unfinished;
    }

    /** The full sync this school's batches belong to (the resumed one, or this run's); null when incremental or attendance. */
    String passId() {
        return run.incremental() || run.attendance() ? null : unfinished != null ? unfinished.passId() : run.id();
    }

    /** The event cursor the full sync hands to the incremental sync. */
    String passEventCursor() {
        return unfinished != null ? unfinished.eventCursor() : run.plan().newestEvent();
    }

    LocalDateTime passStartedAt() {
        return unfinished != null ? unfinished.startedAt() : run.startedAtUtc();
    }

    String eventCursor() {
        return state.incremental() == null ? null : state.incremental().eventCursor();
    }

    /** Whether the school has yet to apply this event. */
    boolean applies(String eventId) {
        String cursor = eventCursor();
        return eventId != null && (cursor == null || eventId.compareTo(cursor) > 0);
    }

    /** How far the resumed full sync got in a list (lists are synced in the source's order, ids ascending). */
    ListProgress progressIn(String list) {
        if (unfinished == null || unfinished.list() == null) {
            return ListProgress.NOT_STARTED; // a fresh full sync: the common case, for every record
        }
        int index = run.lists().indexOf(list);
        int reached = run.lists().indexOf(unfinished.list());
        if (index < 0 || index > reached) {
            return ListProgress.NOT_STARTED;
        }
        return index == reached ? ListProgress.PARTLY : ListProgress.DONE;
    }

    /** Whether the resumed full sync already committed this record for this school. */
    boolean alreadyCommitted(String list, String id) {
        return switch (progressIn(list)) {
            case DONE -> true;
            case PARTLY -> run.district().source().resumesWithinList() && id != null
                    && id.compareTo(unfinished.lastId()) <= 0;
            case NOT_STARTED -> false;
        };
    }

    /** Records of this school the full sync has committed once what is routed now is written. */
    long recordsDone() {
        return (unfinished != null ? unfinished.recordsDone() : 0) + read.get();
    }

    /**
     * The same, less what was routed from {@code list}: for a source whose resumed full sync reads the
     * list it had reached again from its start, the records it will not read again.
     */
    long recordsDoneBefore(String list) {
        return recordsDone() - (list.equals(listRouted) ? readInList : 0);
    }

    DistrictRun run() {
        return run;
    }

    void routed() {
        read.incrementAndGet();
    }

    /** A record of a list's page routed here (pages are routed on the district's thread, one after another). */
    void routed(String list) {
        if (!list.equals(listRouted)) {
            listRouted = list;
            readInList = 0;
        }
        readInList++;
        routed();
    }

    void stored(BatchOutcome outcome) {
        written.addAndGet(outcome.written());
        unchanged.addAndGet(outcome.unchanged());
        rejected.addAndGet(outcome.rejected());
        archived.addAndGet(outcome.archived());
    }

    /** Records routed here that a later event of the same record in the same page replaced. */
    void superseded(long records) {
        superseded.addAndGet(records);
    }

    void archived(long rows) {
        archived.addAndGet(rows);
    }

    /** Records the first failure; a failed school receives no further records in this run. */
    void fail(String reason) {
        if (failure == null) {
            failure = reason;
        }
    }

    /** A batch could not be written: the school fails, and its later batches of this run are refused. */
    void writeFailed(String reason) {
        lostWrite = true;
        fail(reason);
    }

    boolean lostWrite() {
        return lostWrite;
    }

    void warn(String reason) {
        warning = reason;
    }

    /** Whether the mass-archive guard held back this school's archiving (its warning is the guard's). */
    public boolean massArchiveGuardTripped() {
        return warning != null;
    }

    public boolean failed() {
        return failure != null;
    }

    public long read() {
        return read.get();
    }

    public long written() {
        return written.get();
    }

    public long unchanged() {
        return unchanged.get();
    }

    public long rejected() {
        return rejected.get();
    }

    /** Records read for this school that a later event of the same record in the same page replaced (never written). */
    public long superseded() {
        return superseded.get();
    }

    public long archived() {
        return archived.get();
    }

    /** Records this run did not read again because the full sync it resumed had committed them. */
    public long resumedRecords() {
        return unfinished == null ? 0 : unfinished.recordsDone();
    }

    /** "attendance", "incremental", "resumed" or "full". */
    public String mode() {
        return run.attendance() ? SchoolDatabase.ATTENDANCE_MODE : run.incremental() ? "incremental" : unfinished != null ? "resumed" : "full";
    }

    /** The failure, or for an unfinished write the records that never reached the database. */
    String failureSummary() {
        if (failure != null) {
            return failure;
        }
        long lost = read() - written() - unchanged() - rejected() - superseded();
        return lost == 0 ? null : lost + " records routed to the school were not written";
    }

    /** What went wrong or was held back: the failure, else the guard's warning; null when nothing. */
    public String errorSummary() {
        String failed = failureSummary();
        return failed != null ? failed : warning;
    }

    /** FAILED on any failure, PARTIAL when records were quarantined or archiving held back, otherwise SUCCEEDED. */
    public Status status() {
        if (failureSummary() != null) {
            return Status.FAILED;
        }
        return rejected() > 0 || warning != null ? Status.PARTIAL : Status.SUCCEEDED;
    }
}

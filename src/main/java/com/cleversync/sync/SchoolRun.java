package com.cleversync.sync;

import com.cleversync.school.BatchOutcome;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One school's part of a district run: what was routed to it, what its database did with it, and
 * whether it failed. Its row in the school's {@code sync_runs} is written from this.
 */
public final class SchoolRun {
    public enum Status { RUNNING, SUCCEEDED, PARTIAL, FAILED }

    private final DistrictRun run;
    private final SyncSchool school;
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile String failure;

    SchoolRun(DistrictRun run, SyncSchool school) {
        this.run = run;
        this.school = school;
    }

    public String runId() {
        return run.id();
    }

    /** A batch of this school was handed to a writer thread. */
    void batchSubmitted() {
        run.batchSubmitted();
    }

    /** A batch of this school has been written or has failed. */
    void batchDone() {
        run.batchDone();
    }

    public SyncSchool school() {
        return school;
    }

    void routed() {
        read.incrementAndGet();
    }

    void stored(BatchOutcome outcome) {
        written.addAndGet(outcome.written());
        unchanged.addAndGet(outcome.unchanged());
        rejected.addAndGet(outcome.rejected());
    }

    /** Records the first failure; a failed school receives no further records in this run. */
    void fail(String reason) {
        if (failure == null) {
            failure = reason;
        }
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

    /** The failure, or for an unfinished write the records that never reached the database. */
    public String errorSummary() {
        if (failure != null) {
            return failure;
        }
        long lost = read() - written() - unchanged() - rejected();
        return lost == 0 ? null : lost + " records routed to the school were not written";
    }

    /** FAILED on any failure, PARTIAL when records were quarantined, otherwise SUCCEEDED. */
    public Status status() {
        if (errorSummary() != null) {
            return Status.FAILED;
        }
        return rejected() > 0 ? Status.PARTIAL : Status.SUCCEEDED;
    }
}

package com.cleversync.sync;

import com.cleversync.school.Checkpoint;
import com.cleversync.school.SchoolRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch for one school's database: its records in arrival order (events must be applied in
 * order) and, at the end of a page, the checkpoint the batch reaches. Written in one transaction.
 */
final class SchoolBatch {
    private final SchoolRun school;
    /** Taken when the batch is formed: a run that falls back to a full sync must not relabel earlier batches. */
    private final String passId;
    private final List<SchoolRecord> records = new ArrayList<>();
    private Checkpoint checkpoint;

    SchoolBatch(SchoolRun school) {
        this.school = school;
        this.passId = school.passId();
    }

    void add(ForSchool item) {
        if (item instanceof RoutedRecord routed) {
            records.add(routed.record());
        } else if (item instanceof PositionMark mark) {
            records.addAll(mark.archive());
            if (mark.checkpoint() != null) {
                checkpoint = mark.checkpoint();
            }
        }
    }

    SchoolRun school() {
        return school;
    }

    /** The full sync the batch belongs to, or null for an incremental sync. */
    String passId() {
        return passId;
    }

    List<SchoolRecord> records() {
        return records;
    }

    Checkpoint checkpoint() {
        return checkpoint;
    }

    boolean isEmpty() {
        return records.isEmpty() && checkpoint == null;
    }

    /** School and size only: records hold personal data and must never reach a log. */
    @Override
    public String toString() {
        return "SchoolBatch[" + school.school().routeId() + ", " + records.size() + " records"
                + (checkpoint == null ? "" : ", checkpoint") + "]";
    }
}

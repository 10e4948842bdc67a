package com.cleversync.sync;

import com.cleversync.school.Checkpoint;
import com.cleversync.school.SchoolRecord;
import java.util.List;

/**
 * A batch for one school's database, written in one transaction: records in arrival order (events
 * must be applied in order) and, on a school's last batch of a page, the checkpoint the page reaches.
 *
 * @param passId the full sync the batch belongs to, or null for an incremental sync; taken when the
 *               batch is formed, so a run that falls back to a full sync does not relabel earlier batches
 */
record SchoolBatch(SchoolRun school, String passId, List<SchoolRecord> records, Checkpoint checkpoint) {
    /** School and size only: records hold personal data and must never reach a log. */
    @Override
    public String toString() {
        return "SchoolBatch[" + school.school().routeId() + ", " + records.size() + " records"
                + (checkpoint == null ? "" : ", checkpoint") + "]";
    }
}

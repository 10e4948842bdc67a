package com.cleversync.sync;

import com.cleversync.school.Checkpoint;
import com.cleversync.school.SchoolRecord;
import java.util.List;

/**
 * The end of a page for one school: completes its open batch, which commits the checkpoint with it
 * and archives the page's records that no longer belong to the school (after a page of events).
 * At the end of a run, a mark without checkpoint completes whatever batch is still open.
 */
record PositionMark(SchoolRun school, Checkpoint checkpoint, List<SchoolRecord> archive) implements ForSchool {}

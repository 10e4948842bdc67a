package com.cleversync.sync;

import com.cleversync.school.Checkpoint;

/** The end of a page for one school: completes its open batch, which commits the checkpoint with it. */
record PositionMark(SchoolRun school, Checkpoint checkpoint) implements ForSchool {}

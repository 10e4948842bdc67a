package com.cleversync.sync;

/** What the aggregator gathers into one school's batch: records, and the checkpoint ending a page. */
sealed interface ForSchool permits RoutedRecord, PositionMark {
    SchoolRun school();
}

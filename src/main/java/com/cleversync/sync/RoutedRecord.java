package com.cleversync.sync;

import com.cleversync.school.SchoolRecord;

/** A record on its way to one school's database: what the aggregator batches per school. */
public record RoutedRecord(SchoolRun school, SchoolRecord record) implements ForSchool {}

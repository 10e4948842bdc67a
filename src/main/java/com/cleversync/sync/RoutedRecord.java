package com.cleversync.sync;

import com.cleversync.school.SchoolRecord;
import java.util.List;

/** A record on its way to one school's database: what the aggregator batches per school. */
public record RoutedRecord(SchoolRun school, SchoolRecord record) {

    /** The school a batch (an aggregated list of routed records, all for one school) belongs to. */
    static SchoolRun schoolOf(List<?> batch) {
        return ((RoutedRecord) batch.get(0)).school();
    }
}

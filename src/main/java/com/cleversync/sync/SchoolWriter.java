package com.cleversync.sync;

import com.cleversync.school.BatchOutcome;
import com.cleversync.school.SchoolRecord;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes one school's batch into that school's database. Called by the per-school routes
 * ({@code routes/school-writer.camel.yaml}) as bean {@code schoolWriter}.
 */
@Component("schoolWriter")
public class SchoolWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SchoolWriter.class);

    public void write(List<RoutedRecord> batch) throws SQLException {
        SchoolRun school = batch.get(0).school();
        List<SchoolRecord> records = batch.stream().map(RoutedRecord::record).toList();
        long started = System.nanoTime();
        BatchOutcome outcome = school.school().database().write(school.runId(), records);
        school.stored(outcome);
        LOG.debug("run {} school {} {}: {} records, {} written, {} unchanged, {} rejected in {} ms",
                school.runId(), school.school().routeId(), records.get(0).resource().label(), records.size(),
                outcome.written(), outcome.unchanged(), outcome.rejected(), (System.nanoTime() - started) / 1_000_000);
    }
}

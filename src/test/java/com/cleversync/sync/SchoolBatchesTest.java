package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.TestDatabases;
import com.cleversync.clever.CleverToken;
import com.cleversync.config.CleverSyncProperties;
import com.cleversync.school.Checkpoint;
import com.cleversync.school.Dialect;
import com.cleversync.school.SchoolDatabase;
import com.cleversync.school.SchoolRecord;
import com.cleversync.school.SchoolTable;
import com.cleversync.school.SharedLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** A page's records become each school's batches: at most batch-size upserts each, the checkpoint and archives last. */
class SchoolBatchesTest {
    private final SchoolDatabase database = new SchoolDatabase("d/north", Dialect.H2, TestDatabases.h2("batches"),
            () -> new SchoolDatabase.Login("sa", ""), Duration.ofSeconds(5), 2, null, new SharedLimits(1, 4));
    private final SyncDistrict district = new SyncDistrict("d", new DistrictSource.Clever(new CleverToken("token", value -> value)),
            "0 0 2 * * ?", null, "UTC", false, List.of(new SyncSchool("d", "north", "school-1", database)));
    private final CleverSyncProperties properties = new Binder(new MapConfigurationPropertySource(
            Map.of("cleversync.sync.batch-size", "2"))).bindOrCreate("cleversync", CleverSyncProperties.class);
    private final SchoolBatches batches = new SchoolBatches(properties);

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void upsertsAreCutAtBatchSizeAndTheArchivesGoWithTheCheckpointInTheLastBatch() {
        DistrictRun run = new DistrictRun(district, "test");
        SchoolRun north = run.schools().get(0);
        List<SchoolRecord> records = List.of(student("s1"), SchoolRecord.archive(SchoolTable.STUDENTS, "gone-1"),
                student("s2"), student("s3"), SchoolRecord.archive(SchoolTable.STUDENTS, "gone-2"),
                SchoolRecord.archive(SchoolTable.STUDENTS, "gone-3"));
        Checkpoint cursor = new Checkpoint.AfterEvent("e9", null);

        List<SchoolBatch> formed = batches.batches(Map.of(north, records), Map.of(north, cursor));

        assertThat(formed).extracting(b -> b.records().stream().map(SchoolRecord::id).toList())
                .containsExactly(List.of("s1", "s2"), List.of("s3", "gone-1", "gone-2", "gone-3"));
        assertThat(formed).extracting(SchoolBatch::checkpoint).containsExactly(null, cursor);
    }

    @Test
    void aSchoolWithOnlyACheckpointGetsABatchOfNoRecordsAndOneWithNeitherNone() {
        DistrictRun run = new DistrictRun(district, "test");
        SchoolRun north = run.schools().get(0);
        Checkpoint end = new Checkpoint.InList("students", "s9", 9);

        assertThat(batches.batches(Map.of(north, List.of()), Map.of(north, end)))
                .singleElement().satisfies(b -> assertThat(b.records()).isEmpty())
                .satisfies(b -> assertThat(b.checkpoint()).isEqualTo(end));
        assertThat(batches.batches(Map.of(north, List.of()), Map.of())).isEmpty();
    }

    private static SchoolRecord student(String id) {
        return new SchoolRecord(SchoolTable.STUDENTS, id, new Object[0], Set.of("school-1"), List.of(), List.of(),
                null, "{\"id\":\"" + id + "\"}", null, false);
    }
}

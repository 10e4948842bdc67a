package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.SchoolDb;
import com.cleversync.clever.CleverToken;
import com.cleversync.config.CleverSyncProperties;
import com.cleversync.TestDatabases;
import com.cleversync.school.Dialect;
import com.cleversync.school.SchoolDatabase;
import com.cleversync.school.SharedLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** A district never runs twice at once, whatever triggers it (schedule, startup, run-once, manual). */
class DistrictRunsTest {
    private final String url = TestDatabases.h2("runs");
    private final SchoolDatabase database = new SchoolDatabase("d/north", Dialect.H2, url,
            () -> new SchoolDatabase.Login("sa", ""), Duration.ofSeconds(5), 2, null, new SharedLimits(1, 4));
    private final SyncDistricts districts = new SyncDistricts(List.of(new SyncDistrict("d", new DistrictSource.Clever(new CleverToken("token", value -> value)), "0 0 2 * * ?", null,
            "UTC", false, List.of(new SyncSchool("d", "north", "school-1", database)))));
    /** The configuration's defaults, as Spring binds them. */
    private final CleverSyncProperties properties = new Binder(new MapConfigurationPropertySource(Map.of()))
            .bindOrCreate("cleversync", CleverSyncProperties.class);
    private final CamelContext camel = new DefaultCamelContext();
    private final DistrictRuns runs = new DistrictRuns(districts, new MassArchiveAcceptance(properties, districts),
            properties, new SyncMetrics(new SimpleMeterRegistry(), districts, new WriterLanes(properties, districts), camel,
                    properties),
            event -> { }, Optional.empty(), new Replica("test/1"), camel.createProducerTemplate(),
            new WriterLanes(properties, districts), java.time.Clock.systemUTC());

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aTriggerThatArrivesWhileItsDistrictIsRunningIsSkippedAndTheNextOneRuns() throws Exception {
        DistrictRun first = runs.begin("d", "full", "schedule", null);
        assertThat(runs.running()).containsExactly(first);

        assertThat(runs.begin("d", "full", "startup", null)).as("skipped while the first runs").isNull();
        assertThat(SchoolDb.h2(url).query("SELECT \"trigger\", status FROM sync_runs"))
                .containsExactly(Map.of("trigger", "schedule", "status", "RUNNING"));

        assertThat(runs.finish(first)).isSameAs(first);
        assertThat(runs.running()).isEmpty();
        DistrictRun third = runs.begin("d", "full", "manual", null);
        assertThat(third.id()).isNotEqualTo(first.id());
        runs.finish(third);
        assertThat(SchoolDb.h2(url).count("SELECT COUNT(*) FROM sync_runs WHERE status = 'SUCCEEDED'")).isEqualTo(2);
    }
}

package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.CleverSyncApplication;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxFaults;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code cleversync.sync.max-concurrent-districts} caps the runs going on at once: with a cap of
 * one, three districts triggered together run one after another, each in full, none overlapping.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConcurrentDistrictsTest {
    private static final String TOKEN = "concurrent-token";
    private static final List<String> DISTRICTS = List.of("first", "second", "third");
    static CleverSandbox sandbox;
    static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() {
        sandbox = CleverSandbox.start(new SandboxDistrict(new SandboxSize(1, 20, 3, 1, 4, 5, 1, 2, 5L)), TOKEN, 0, 1200);
        String school = sandbox.district().records(SandboxResource.SCHOOLS).findFirst().orElseThrow().get("id").asText();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("camel.main.run-controller", "false");
        config.put("spring.main.web-application-type", "none");
        config.put("cleversync.sandbox.enabled", "false");
        config.put("cleversync.clever.base-url", sandbox.baseUrl());
        config.put("cleversync.sync.max-concurrent-districts", "1");
        for (String district : DISTRICTS) {
            String prefix = "cleversync.districts." + district;
            config.put(prefix + ".token", TOKEN);
            config.put(prefix + ".schedule", "0 0 2 1 1 ? 2099");
            config.put(prefix + ".schools.only.clever-id", school);
            config.put(prefix + ".schools.only.jdbc-url", TestDatabases.h2("concurrent-" + district));
        }
        app = new SpringApplicationBuilder(CleverSyncApplication.class).run(config.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        sandbox.close();
    }

    @Test
    void districtsTriggeredTogetherBeyondTheCapWaitTheirTurnAndNeverOverlap(CapturedOutput output) throws Exception {
        ProducerTemplate producer = app.getBean(ProducerTemplate.class);
        sandbox.faults(SandboxFaults.none().withSlowResponses(1.0, Duration.ofMillis(100))); // runs of about a second
        List<CompletableFuture<Object>> runs = DISTRICTS.stream().map(district -> producer.asyncRequestBodyAndHeader(
                "direct:sync-district", null, DistrictRuns.DISTRICT, district)).toList();

        List<DistrictRun> finished = runs.stream().map(f -> (DistrictRun) f.orTimeout(120, TimeUnit.SECONDS).join()).toList();

        sandbox.faults(SandboxFaults.none());
        assertThat(finished).allSatisfy(run -> assertThat(run.succeeded()).as(run.district().key()).isTrue());
        List<LocalDateTime[]> spans = finished.stream().map(ConcurrentDistrictsTest::span)
                .sorted((a, b) -> a[0].compareTo(b[0])).toList();
        for (int i = 1; i < spans.size(); i++) {
            assertThat(spans.get(i)[0]).as("a run starts after the one before it ended").isAfterOrEqualTo(spans.get(i - 1)[1]);
        }
        assertThat(output.getAll()).contains("waits for a free slot (cleversync.sync.max-concurrent-districts)");
    }

    /** When the run started and ended in its school's sync_runs. */
    private static LocalDateTime[] span(DistrictRun run) {
        try {
            Map<String, Object> row = run.schools().get(0).school().database().recentRuns(run.district().key(), 1).get(0);
            return new LocalDateTime[] {LocalDateTime.parse((String) row.get("started_at")),
                    LocalDateTime.parse((String) row.get("finished_at"))};
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.CleverSyncApplication;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxSize;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With Spring Boot's structured console logs ({@code logging.structured.format.console=ecs}) every
 * line is one JSON object, and every line a run logs carries {@code run_id} and {@code district}
 * from the MDC, on the district's thread and on the writer lanes, where it also carries {@code school}.
 */
@CamelSpringBootTest
@SpringBootTest(classes = CleverSyncApplication.class, properties = {
        "logging.structured.format.console=ecs",
        "logging.level.com.cleversync.sync=DEBUG",
        "cleversync.sync.batch-size=40"})
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogsTest {
    private static final String TOKEN = "structured-logs-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    static CleverSandbox sandbox;

    @Autowired
    ProducerTemplate producer;

    @DynamicPropertySource
    static void district(DynamicPropertyRegistry registry) {
        sandbox = CleverSandbox.start(new SandboxDistrict(new SandboxSize(3, 150, 12, 2, 18, 10, 2, 6, 5L)), TOKEN, 0, 1200);
        registry.add("cleversync.clever.base-url", sandbox::baseUrl);
        registry.add("cleversync.clever.page-size", () -> "50");
        registry.add("cleversync.districts.logs.token", () -> TOKEN);
        registry.add("cleversync.districts.logs.schedule", () -> "0 0 2 1 1 ? 2099");
        List<String> ids = SchoolAssertions.schoolIds(sandbox.district());
        for (String school : List.of("alpha", "beta")) {
            String prefix = "cleversync.districts.logs.schools." + school;
            String id = ids.get(school.equals("alpha") ? 0 : 1);
            registry.add(prefix + ".clever-id", () -> id);
            registry.add(prefix + ".jdbc-url", () -> TestDatabases.h2("logs-" + school));
        }
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @Test
    void everyLineOfARunCarriesItsRunDistrictAndOnTheWriterLanesItsSchool(CapturedOutput output) throws Exception {
        int before = output.getOut().length();

        DistrictRun run = SchoolAssertions.sync(producer, "logs");

        assertThat(run.succeeded()).isTrue();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.getOut().substring(before).split("\\R")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line)); // every line is JSON: nothing printed around the logger
            }
        }
        List<JsonNode> ofTheRun = lines.stream()
                .filter(l -> l.at("/log/logger").asText().startsWith("com.cleversync.sync")).toList();
        assertThat(ofTheRun).extracting(l -> l.path("message").asText())
                .anyMatch(m -> m.contains("full sync started"))
                .anyMatch(m -> m.contains("finished in"));
        for (JsonNode line : ofTheRun) {
            assertThat(line.path("run_id").asText()).as("run_id of %s", line).isEqualTo(run.id());
            assertThat(line.path("district").asText()).as("district of %s", line).isEqualTo("logs");
        }
        List<JsonNode> written = ofTheRun.stream()
                .filter(l -> l.at("/log/logger").asText().endsWith(".SchoolWriter")).toList();
        assertThat(written).as("a debug line per batch, logged on a writer lane").hasSizeGreaterThan(2);
        for (JsonNode line : written) {
            assertThat(line.at("/process/thread/name").asText()).contains("school-writer-lane");
            String school = line.path("school").asText();
            assertThat(school).isIn("alpha", "beta");
            assertThat(line.path("message").asText()).contains("school school-logs-" + school + ":");
        }
        assertThat(written).extracting(l -> l.path("school").asText()).contains("alpha", "beta");
    }
}

package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.cleversync.CleverSyncApplication;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxSize;
import java.util.List;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every line a run logs carries {@code run_id} and {@code district} in the MDC, on the district's
 * thread and on the writer lanes, where it also carries {@code school}: with structured logs
 * ({@code logging.structured.format.console=ecs}) Spring Boot prints the MDC as fields of each JSON line.
 * The events are taken from Logback itself, since a JVM's logging is set up by its first Spring context.
 */
@CamelSpringBootTest
@SpringBootTest(classes = CleverSyncApplication.class, properties = {
        "logging.level.com.cleversync.sync=DEBUG",
        "cleversync.sync.batch-size=40"})
class StructuredLogsTest {
    private static final String TOKEN = "structured-logs-token";
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
        // a JVM's log levels outlive this context: later tests must not log at this test's levels
        for (String logger : List.of("com.cleversync.sync")) {
            ((Logger) LoggerFactory.getLogger(logger)).setLevel(null);
        }
    }

    @Test
    void everyLineOfARunCarriesItsRunDistrictAndOnTheWriterLanesItsSchool() {
        Logger sync = (Logger) LoggerFactory.getLogger("com.cleversync.sync");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        sync.addAppender(lines);
        DistrictRun run;
        try {
            run = SchoolAssertions.sync(producer, "logs");
        } finally {
            sync.detachAppender(lines);
        }

        assertThat(run.succeeded()).isTrue();
        List<ILoggingEvent> ofTheRun = List.copyOf(lines.list);
        assertThat(ofTheRun).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.contains("full sync started"))
                .anyMatch(m -> m.contains("finished in"));
        for (ILoggingEvent line : ofTheRun) {
            assertThat(line.getMDCPropertyMap()).as("MDC of '%s'", line.getFormattedMessage())
                    .containsEntry("run_id", run.id()).containsEntry("district", "logs");
        }
        List<ILoggingEvent> written = ofTheRun.stream().filter(l -> l.getLoggerName().endsWith(".SchoolWriter")).toList();
        assertThat(written).as("a debug line per batch, logged on a writer lane").hasSizeGreaterThan(2);
        for (ILoggingEvent line : written) {
            assertThat(line.getThreadName()).contains("school-writer-lane");
            String school = line.getMDCPropertyMap().get("school");
            assertThat(school).isIn("alpha", "beta");
            assertThat(line.getFormattedMessage()).contains("school school-logs-" + school + ":");
        }
        assertThat(written).extracting(l -> l.getMDCPropertyMap().get("school")).contains("alpha", "beta");
    }
}

package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.Await;
import com.cleversync.CleverSyncApplication;
import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Canaries: a Clever token, a school database password, a password inside a JDBC URL (of a
 * school whose database cannot be reached, so its failed connections are logged) and the webhook URL
 * (whose receiver is down, so the failed school's notification is given up on). After a sync,
 * none of them appears in the logs (everything at DEBUG, CleverSync and Camel's components, placeholder
 * resolution included, at TRACE), in sync_runs, in any actuator endpoint, or in any JMX attribute (what
 * JConsole and Hawtio show); nor does a planted student surname appear in the logs.
 */
@CamelSpringBootTest
@DisableJmx(false) // Camel's own MBeans (routes, endpoints) as JConsole and Hawtio see them
@SpringBootTest(classes = CleverSyncApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "logging.level.root=DEBUG",
                "logging.level.com.cleversync=TRACE",
                "logging.level.org.apache.camel.component=TRACE",
                "logging.level.com.zaxxer.hikari=DEBUG",
                "spring.jmx.enabled=true",
                "management.endpoints.jmx.domain=cleversync-canary",
                "cleversync.sync.connection-timeout=1s",
                "cleversync.management.users.ops.password={noop}ops-pw",
                "cleversync.management.users.ops.roles=VIEWER",
                "cleversync.sync.write-attempts=1",
                "cleversync.notifications.retry.attempts=1"})
@ExtendWith(OutputCaptureExtension.class)
class SecretCanaryTest {
    static final String TOKEN = "Canary-Token-7Vq";
    static final String PASSWORD = "Canary-Password-7Vq";
    static final String URL_PASSWORD = "Canary-UrlPassword-7Vq";
    static final String WEBHOOK = "Canary-Webhook-7Vq";
    static final List<String> CANARIES = List.of(TOKEN, PASSWORD, URL_PASSWORD, WEBHOOK);
    static final String NORTH = TestDatabases.h2("canary-north");
    static CleverSandbox sandbox;

    @Autowired
    ProducerTemplate producer;
    @Autowired
    TestRestTemplate http;

    @DynamicPropertySource
    static void district(DynamicPropertyRegistry registry) {
        sandbox = CleverSandbox.start(new SandboxDistrict(new SandboxSize(3, 60, 6, 2, 6, 8, 2, 4, 3L)), TOKEN, 0, 1200);
        List<String> ids = SchoolAssertions.schoolIds(sandbox.district());
        registry.add("cleversync.clever.base-url", sandbox::baseUrl);
        // the token and the password are placeholders, as Key Vault secrets are: resolving them must not log them
        registry.add("canary.clever-token", () -> TOKEN);
        registry.add("canary.north-password", () -> PASSWORD);
        registry.add("canary.webhook", () -> "http://127.0.0.1:1/hooks/" + WEBHOOK);
        registry.add("cleversync.notifications.webhook-url", () -> "{{canary.webhook}}");
        registry.add("cleversync.districts.canary.token", () -> "{{canary.clever-token}}");
        registry.add("cleversync.districts.canary.schedule", () -> "0 0 2 1 1 ? 2099");
        String north = "cleversync.districts.canary.schools.north";
        registry.add(north + ".clever-id", () -> ids.get(0));
        registry.add(north + ".jdbc-url", () -> NORTH);
        registry.add(north + ".username", () -> "sa");
        registry.add(north + ".password", () -> "{{canary.north-password}}");
        String gone = "cleversync.districts.canary.schools.gone";
        registry.add(gone + ".clever-id", () -> ids.get(1));
        registry.add(gone + ".jdbc-url",
                () -> "jdbc:postgresql://127.0.0.1:1/gone?user=cleversync&password=" + URL_PASSWORD);
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
        // a JVM's log levels outlive this context: later tests must not log at this test's levels
        for (String logger : List.of("com.cleversync", "org.apache.camel.component", "com.zaxxer.hikari")) {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(logger)).setLevel(null);
        }
    }

    @Test
    void noSecretAppearsInLogsAuditEndpointsOrJmx(CapturedOutput output) throws Exception {
        DistrictRun run = SchoolAssertions.sync(producer, "canary");

        assertThat(SchoolAssertions.outcome(run, "north").status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
        SchoolRun gone = SchoolAssertions.outcome(run, "gone");
        assertThat(gone.status()).isEqualTo(SchoolRun.Status.FAILED);
        assertThat(gone.errorSummary()).startsWith("school database unavailable: ");
        assertNoCanary("the error summary", gone.errorSummary());
        assertNoCanary("sync_runs", new SchoolDb(NORTH, "sa", PASSWORD).query("SELECT * FROM sync_runs").toString());

        for (String path : List.of("/actuator", "/actuator/health", "/actuator/health/schoolDatabases",
                "/actuator/env", "/actuator/configprops", "/actuator/beans", "/actuator/prometheus",
                "/actuator/cleversync", "/actuator/cleversync/canary/runs?limit=5", "/actuator/hawtio/",
                "/actuator/jolokia/version")) {
            ResponseEntity<String> response = http.withBasicAuth("ops", "ops-pw").getForEntity(path, String.class);
            assertNoCanary(path + " (" + response.getStatusCode() + ")", String.valueOf(response.getBody()));
        }
        // what Hawtio shows: every MBean's attributes and operations through Jolokia, and the route diagrams
        for (String request : List.of("{\"type\":\"list\"}", "{\"type\":\"read\",\"mbean\":\"*:*\",\"config\":{\"ignoreErrors\":true}}",
                "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=cleversync,type=context,name=\\\"cleversync\\\"\","
                        + "\"operation\":\"dumpRoutesAsXml()\"}")) {
            ResponseEntity<String> response = http.withBasicAuth("ops", "ops-pw").postForEntity("/actuator/jolokia",
                    request, String.class);
            assertThat(response.getBody()).as(request).contains("\"status\":200").hasSizeGreaterThan(1000);
            assertNoCanary("Jolokia " + request, response.getBody());
        }
        assertThat(http.withBasicAuth("ops", "ops-pw").getForEntity("/actuator/health", String.class).getBody())
                .contains("schoolDatabases");

        List<String> attributes = jmxAttributes();
        assertThat(attributes).as("JMX attributes read").hasSizeGreaterThan(100);
        assertThat(String.join("\n", attributes)).contains("school-canary-north"); // the school routes are there
        attributes.forEach(a -> assertNoCanary("JMX", a));

        // the failed school's notification is given up on in the background: its warning is in the log checked below
        Await.until(output::getAll, log -> log.contains("school canary/gone ended FAILED: its notification is dropped"));
        assertThat(output.getAll()).as("debug logging was on").contains("DEBUG");
        assertNoCanary("the log", output.getAll());
        // nor personal data: the sandbox gives some students a planted surname
        assertThat(sandbox.district().records(SandboxResource.STUDENTS)
                .anyMatch(s -> "Canarysson".equals(s.at("/name/last").asText()))).isTrue();
        assertThat(output.getAll()).doesNotContain("Canarysson");
    }

    /** Every readable attribute of every MBean of the platform server, as "name attribute = value". */
    private static List<String> jmxAttributes() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        List<String> read = new ArrayList<>();
        for (ObjectName name : server.queryNames(null, null)) {
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                if (!attribute.isReadable()) {
                    continue;
                }
                Object value;
                try {
                    value = server.getAttribute(name, attribute.getName());
                } catch (Exception | LinkageError e) {
                    value = "unreadable: " + e;
                }
                String text = value instanceof Object[] array ? Arrays.deepToString(array) : String.valueOf(value);
                read.add(name + " " + attribute.getName() + " = " + text);
            }
        }
        return read;
    }

    private static void assertNoCanary(String where, String text) {
        for (String canary : CANARIES) {
            assertThat(text).as("%s must not show a secret", where).doesNotContain(canary);
        }
    }

}

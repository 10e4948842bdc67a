package com.cleversync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.Await;
import com.cleversync.CleverSyncApplication;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import com.cleversync.sync.DistrictRun;
import com.cleversync.sync.DistrictRuns;
import com.cleversync.sync.SchoolRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Run notifications to a local webhook receiver over real HTTP, from the real application syncing
 * the sandbox: a school that ends FAILED or PARTIAL (a tripped mass-archive guard) is reported once
 * with its outcome, a succeeded run sends nothing, a refused message is retried with backoff, one
 * that cannot be delivered is dropped with a warning, and the run neither waits for nor depends on
 * the webhook; a run-once process sends its notifications before it exits. The webhook URL (a secret)
 * appears in no log line.
 *
 * <p>District springfield has lincoln (a working database) and, configured after it, gone (a database
 * that refuses connections, so gone FAILS every run); shelbyville has north alone. Notifications are
 * sent in the order they are queued, one at a time, so when a run's message arrives, any message
 * queued before it has arrived already: that is how "nothing else was sent" is seen without waiting.
 */
@ExtendWith(OutputCaptureExtension.class)
class RunNotificationsTest {
    private static final String TOKEN = "notify-token";
    private static final String HOOK_SECRET = "Canary-Hook-Secret-4Kd";
    private static final String GONE_PASSWORD = "Canary-Gone-Password-4Kd";
    private static final ObjectMapper JSON = new ObjectMapper();
    static CleverSandbox sandbox;
    static WebhookReceiver receiver;
    static String hookUrl;
    static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() throws Exception {
        sandbox = CleverSandbox.start(new SandboxDistrict(new SandboxSize(3, 60, 6, 2, 6, 8, 2, 4, 5L)), TOKEN, 0, 1200);
        receiver = new WebhookReceiver();
        hookUrl = receiver.url("/hooks/" + HOOK_SECRET);
        app = start(config());
    }

    /** Both districts, each school with a new database, notifications retried 3 times 10 ms apart (and more). */
    private static Map<String, Object> config() {
        List<String> ids = sandbox.district().records(SandboxResource.SCHOOLS).map(s -> s.get("id").asText()).toList();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("spring.main.web-application-type", "none");
        config.put("camel.main.run-controller", "false");
        config.put("cleversync.sandbox.enabled", "false");
        config.put("cleversync.clever.base-url", sandbox.baseUrl());
        config.put("cleversync.sync.connection-timeout", "1s");
        config.put("cleversync.sync.write-attempts", "1");
        config.put("cleversync.sync.max-archive-share", "0"); // any archiving trips the mass-archive guard
        // the URL comes from a placeholder, as from Key Vault
        config.put("notify.hook", hookUrl);
        config.put("cleversync.notifications.webhook-url", "{{notify.hook}}");
        config.put("cleversync.notifications.retry.attempts", "3");
        config.put("cleversync.notifications.retry.initial-delay", "10ms");
        config.put("cleversync.notifications.retry.max-delay", "40ms");
        config.put("cleversync.notifications.timeout", "5s");
        district(config, "springfield");
        config.put("cleversync.districts.springfield.schools.lincoln.clever-id", ids.get(0));
        config.put("cleversync.districts.springfield.schools.lincoln.jdbc-url", TestDatabases.h2("notify-lincoln"));
        config.put("cleversync.districts.springfield.schools.gone.clever-id", ids.get(1));
        config.put("cleversync.districts.springfield.schools.gone.jdbc-url",
                "jdbc:postgresql://127.0.0.1:1/gone?user=cleversync&password=" + GONE_PASSWORD);
        district(config, "shelbyville");
        config.put("cleversync.districts.shelbyville.schools.north.clever-id", ids.get(2));
        config.put("cleversync.districts.shelbyville.schools.north.jdbc-url", TestDatabases.h2("notify-north"));
        return config;
    }

    private static ConfigurableApplicationContext start(Map<String, Object> config) {
        String[] args = config.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new SpringApplicationBuilder(CleverSyncApplication.class).properties(config).run(args);
    }

    private static void district(Map<String, Object> config, String district) {
        config.put("cleversync.districts." + district + ".token", TOKEN);
        config.put("cleversync.districts." + district + ".schedule", "0 0 2 1 1 ? 2099");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        receiver.close();
        sandbox.close();
    }

    @BeforeEach
    void receiverUpAndEmpty() throws Exception {
        receiver.reset();
    }

    @Test
    void aSchoolWhoseDatabaseIsUnreachableIsReportedOnceWithItsOutcomeAndNoSecret(CapturedOutput output) throws Exception {
        assertThat(app.getBean(CamelContext.class).getRoute(RunNotifications.ROUTE)).isNotNull();

        DistrictRun run = sync("springfield");

        SchoolRun gone = outcome(run, "gone");
        assertThat(gone.status()).isEqualTo(SchoolRun.Status.FAILED);
        assertThat(gone.errorSummary()).startsWith("school database unavailable: ");
        assertThat(outcome(run, "lincoln").status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
        List<WebhookReceiver.Request> received = Await.until(receiver::requests, r -> !r.isEmpty());
        assertThat(received).hasSize(1); // lincoln is queued before gone, so a message for it would be here
        WebhookReceiver.Request request = received.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/hooks/" + HOOK_SECRET);
        assertThat(request.contentType()).isEqualTo("application/json");
        ObjectNode expected = JSON.createObjectNode()
                .put("text", "CleverSync: springfield/gone FAILED (full run " + run.id() + "): " + gone.errorSummary())
                .put("district", "springfield").put("school", "gone").put("status", "FAILED").put("mode", "full")
                .put("runId", run.id()).put("startedAt", run.startedAt().toString())
                .put("finishedAt", run.finishedAt().toString());
        expected.putObject("counts").put("read", 0).put("written", 0).put("unchanged", 0).put("rejected", 0)
                .put("superseded", 0).put("archived", 0).put("resumed", 0);
        expected.put("reason", gone.errorSummary()).put("massArchiveGuardTripped", false);
        assertThat(JSON.readTree(request.body())).isEqualTo(expected);
        assertThat(request.body()).doesNotContain(GONE_PASSWORD).doesNotContain("jdbc:");
        assertThat(output.getAll()).doesNotContain(HOOK_SECRET).doesNotContain(hookUrl);
    }

    @Test
    void aRunThatSucceedsSendsNothing() throws Exception {
        DistrictRun succeeded = sync("shelbyville");
        assertThat(succeeded.succeeded()).isTrue();

        DistrictRun failed = sync("springfield");

        List<WebhookReceiver.Request> received = Await.until(receiver::requests, r -> !r.isEmpty());
        assertThat(received).hasSize(1);
        JsonNode message = JSON.readTree(received.get(0).body());
        assertThat(message.get("runId").asText()).isEqualTo(failed.id());
        assertThat(message.get("school").asText()).isEqualTo("gone");
    }

    @Test
    void aRefusedMessageIsRetriedWithBackoffAndTheRunNeitherWaitsForItNorChanges() throws Exception {
        receiver.holdNext();
        receiver.answerFirst(500, 500);

        DistrictRun run = sync("springfield");

        assertThat(receiver.requests()).as("the run ended before its message was answered").isEmpty();
        receiver.release();
        assertThat(outcome(run, "gone").status()).isEqualTo(SchoolRun.Status.FAILED);
        assertThat(outcome(run, "gone").errorSummary()).startsWith("school database unavailable: ");
        assertThat(outcome(run, "lincoln").status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
        List<WebhookReceiver.Request> received = Await.until(receiver::requests, r -> r.size() == 3);
        assertThat(received).extracting(WebhookReceiver.Request::answered).containsExactly(500, 500, 200);
        assertThat(received).extracting(WebhookReceiver.Request::body).containsOnly(received.get(0).body());
        assertThat(JSON.readTree(received.get(0).body()).get("runId").asText()).isEqualTo(run.id());
    }

    @Test
    void aMessageThatCannotBeDeliveredIsDroppedWithAWarningWithoutTheUrl(CapturedOutput output) throws Exception {
        receiver.goDown();

        DistrictRun run = sync("springfield");

        assertThat(outcome(run, "gone").status()).isEqualTo(SchoolRun.Status.FAILED);
        assertThat(outcome(run, "lincoln").status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
        String warning = "run " + run.id() + " school springfield/gone ended FAILED: its notification is dropped"
                + " (attempts: 3; last failure: ConnectException)";
        String log = Await.until(output::getAll, all -> all.contains(warning));
        assertThat(log.lines().filter(line -> line.contains(warning))).allMatch(line -> line.contains(" WARN "));
        assertThat(log).doesNotContain(HOOK_SECRET).doesNotContain(hookUrl);
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void aTrippedMassArchiveGuardIsReportedAsPartial() throws Exception {
        DistrictRun baseline = sync("shelbyville");
        assertThat(baseline.succeeded()).as("baseline").isTrue();
        String northId = outcome(baseline, "north").school().sourceId();
        ObjectNode leaving = sandbox.district().records(SandboxResource.STUDENTS)
                .filter(s -> s.at("/roles/student/schools").size() <= 1
                        && northId.equals(s.at("/roles/student/school").asText()))
                .findFirst().orElseThrow();
        sandbox.district().delete(SandboxResource.STUDENTS, leaving.get("id").asText());
        try {
            DistrictRun run = sync("shelbyville");

            SchoolRun north = outcome(run, "north");
            assertThat(north.status()).isEqualTo(SchoolRun.Status.PARTIAL);
            assertThat(north.errorSummary()).startsWith("mass-archive guard: would archive 1 of ");
            List<WebhookReceiver.Request> received = Await.until(receiver::requests, r -> !r.isEmpty());
            assertThat(received).hasSize(1);
            JsonNode message = JSON.readTree(received.get(0).body());
            assertThat(message.get("text").asText())
                    .isEqualTo("CleverSync: shelbyville/north PARTIAL (full run " + run.id() + "): " + north.errorSummary());
            assertThat(message.get("status").asText()).isEqualTo("PARTIAL");
            assertThat(message.get("reason").asText()).isEqualTo(north.errorSummary());
            assertThat(message.get("massArchiveGuardTripped").asBoolean()).isTrue();
            assertThat(message.at("/counts/archived").asLong()).isZero();
            assertThat(message.at("/counts/read").asLong()).isEqualTo(north.read()).isPositive();
            assertThat(message.at("/counts/unchanged").asLong()).isEqualTo(north.unchanged());
        } finally {
            sandbox.district().put(SandboxResource.STUDENTS, leaving);
        }
    }

    @Test
    void aRunOnceProcessDeliversItsNotificationsWhileItShutsDown() throws Exception {
        receiver.holdNext();
        receiver.answerFirst(500);
        Map<String, Object> config = config();
        config.put("cleversync.run-once", "true");
        // north fails too: its message waits in the queue behind gone's, which the receiver holds
        config.put("cleversync.districts.shelbyville.schools.north.jdbc-url", "jdbc:postgresql://127.0.0.1:1/north");
        ConfigurableApplicationContext once = start(config); // syncs every district while it starts
        CamelContext camel = once.getBean(CamelContext.class);
        AtomicInteger exitCode = new AtomicInteger(-1);
        Thread exit = new Thread(() -> exitCode.set(SpringApplication.exit(once)));

        exit.start();
        Await.until(camel::isStopping, stopping -> stopping || !exit.isAlive());
        receiver.release(); // the first message is answered (500, then retried) only once the shutdown has begun
        exit.join(Duration.ofSeconds(60).toMillis());

        assertThat(exitCode.get()).as("gone and north failed").isEqualTo(1);
        List<WebhookReceiver.Request> received = receiver.requests();
        assertThat(received).extracting(WebhookReceiver.Request::answered).containsExactly(500, 200, 200);
        List<String> schools = new ArrayList<>();
        for (WebhookReceiver.Request request : received) {
            schools.add(JSON.readTree(request.body()).get("school").asText());
        }
        assertThat(schools).containsExactlyInAnyOrder("gone", "gone", "north");
    }

    private static DistrictRun sync(String district) {
        return app.getBean(ProducerTemplate.class).requestBodyAndHeaders("direct:sync-district", null,
                Map.of(DistrictRuns.DISTRICT, district, DistrictRuns.TRIGGER, "test"), DistrictRun.class);
    }

    private static SchoolRun outcome(DistrictRun run, String school) {
        return run.schools().stream().filter(s -> s.school().key().equals(school)).findFirst().orElseThrow();
    }
}

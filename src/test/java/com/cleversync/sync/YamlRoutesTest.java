package com.cleversync.sync;

import static com.cleversync.sync.SchoolAssertions.assertHoldsExactly;
import static com.cleversync.sync.SchoolAssertions.outcome;
import static com.cleversync.sync.SchoolAssertions.schoolIds;
import static com.cleversync.sync.SchoolAssertions.sync;
import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.CleverSyncApplication;
import com.cleversync.ExpectedSchool;
import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import com.cleversync.sandbox.SandboxFaults;
import com.cleversync.Await;
import java.time.Duration;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.Trigger;
import org.springframework.beans.factory.annotation.Autowired;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The operator-editable routes: one schedule route per district and one writer route per school,
 * created from the YAML templates in the {@code routes/} folder, with the stable ids an operator
 * stops and starts in Hawtio. Stopping a school's route pauses that school alone.
 */
@CamelSpringBootTest
@DisableJmx(false) // operators control routes over JMX; the test harness turns it off by default
@SpringBootTest(classes = CleverSyncApplication.class)
class YamlRoutesTest {
    static final String DISTRICT = "yamlcheck";
    static final String SCHEDULE = "0 15 3 1 1 ? 2099";
    static final String TIME_ZONE = "America/Chicago";
    static final String TOKEN = "yaml-token";
    static final List<String> CONFIGURED = List.of("north", "south");
    static final Map<String, String> URLS = new HashMap<>();
    static final AtomicInteger EDITS = new AtomicInteger();
    static CleverSandbox sandbox;

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate producer;

    @Autowired
    DistrictRuns runs;

    @Autowired
    SyncDistricts districts;

    @DynamicPropertySource
    static void district(DynamicPropertyRegistry registry) {
        sandbox = CleverSandbox.start(new SandboxDistrict(new SandboxSize(3, 60, 6, 3, 12, 6, 2, 4, 21L)),
                TOKEN, 0, 1200);
        registry.add("cleversync.clever.base-url", sandbox::baseUrl);
        registry.add("cleversync.clever.page-size", () -> "25");
        registry.add("cleversync.sync.batch-size", () -> "10");
        String prefix = "cleversync.districts." + DISTRICT;
        registry.add(prefix + ".token", () -> TOKEN);
        registry.add(prefix + ".schedule", () -> SCHEDULE);
        registry.add(prefix + ".time-zone", () -> TIME_ZONE);
        List<String> ids = schoolIds(sandbox.district());
        for (int i = 0; i < CONFIGURED.size(); i++) {
            String key = CONFIGURED.get(i);
            String url = URLS.computeIfAbsent(key, k -> TestDatabases.h2("yaml-" + k));
            String id = ids.get(i);
            registry.add(prefix + ".schools." + key + ".clever-id", () -> id);
            registry.add(prefix + ".schools." + key + ".jdbc-url", () -> url);
            registry.add(prefix + ".schools." + key + ".username", () -> "sa");
        }
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @Test
    void theDistrictsScheduleRouteIsCreatedFromTheDistrictScheduleYamlTemplate() {
        Route route = camel.getRoute("district-" + DISTRICT);

        assertThat(route).as("route district-%s", DISTRICT).isNotNull();
        assertThat(route.isCreatedByRouteTemplate()).isTrue();
        assertThat(route.getSourceLocationShort()).startsWith("district-schedule.camel.yaml:");
        assertThat(route.getSourceLocation()).startsWith("classpath:routes/district-schedule.camel.yaml:");
        assertThat(definition(route.getRouteId()).getTemplateParameters())
                .containsEntry("district", DISTRICT).containsEntry("schedule", SCHEDULE)
                .containsEntry("timeZone", TIME_ZONE);
        assertThat(camel.getRouteController().getRouteStatus(route.getRouteId())).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void eachSchoolsWriterRouteIsCreatedFromTheSchoolWriterYamlTemplate() {
        for (String school : CONFIGURED) {
            String id = "school-" + DISTRICT + "-" + school;
            Route route = camel.getRoute(id);

            assertThat(route).as("route %s", id).isNotNull();
            assertThat(route.isCreatedByRouteTemplate()).isTrue();
            assertThat(route.getSourceLocationShort()).startsWith("school-writer.camel.yaml:");
            assertThat(route.getSourceLocation()).startsWith("classpath:routes/school-writer.camel.yaml:");
            assertThat(route.getEndpoint().getEndpointUri()).isEqualTo("direct://" + id);
            assertThat(definition(id).getTemplateParameters()).containsEntry("schoolRoute", id);
        }
    }

    @Test
    void theTemplatesAreLoadedFromTheRoutesFolderAndUsedOncePerDistrictAndSchool() {
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);

        Map<String, String> templates = new LinkedHashMap<>();
        for (RouteTemplateDefinition t : model.getRouteTemplateDefinitions()) {
            templates.put(t.getId(), t.getResource() == null ? null : t.getResource().getLocation());
        }
        assertThat(templates).containsEntry("district-schedule", "classpath:routes/district-schedule.camel.yaml")
                .containsEntry("school-writer", "classpath:routes/school-writer.camel.yaml");
        assertThat(camel.getRoutes()).filteredOn(Route::isCreatedByRouteTemplate).extracting(Route::getRouteId)
                .containsExactlyInAnyOrder("district-" + DISTRICT, "school-" + DISTRICT + "-north",
                        "school-" + DISTRICT + "-south");
    }

    @Test
    void theDistrictRouteConsumesItsQuartzTriggerWithTheConfiguredCronAndTimeZone() throws Exception {
        Route route = camel.getRoute("district-" + DISTRICT);

        assertThat(route.getEndpoint().getEndpointUri()).startsWith("quartz://cleversync/" + DISTRICT + "?");
        assertThat(route.getEndpoint()).isInstanceOf(QuartzEndpoint.class);
        QuartzEndpoint quartz = (QuartzEndpoint) route.getEndpoint();
        assertThat(quartz.getGroupName()).isEqualTo("cleversync");
        assertThat(quartz.getTriggerName()).isEqualTo(DISTRICT);
        assertThat(quartz.getCron()).isEqualTo(SCHEDULE);
        assertThat(quartz.isStateful()).as("runs of a district never overlap").isTrue();
        Trigger trigger = quartz.getComponent().getScheduler().getTrigger(quartz.getTriggerKey());
        assertThat(trigger).as("trigger scheduled in Quartz").isInstanceOf(CronTrigger.class);
        assertThat(((CronTrigger) trigger).getCronExpression()).isEqualTo(SCHEDULE);
        assertThat(((CronTrigger) trigger).getTimeZone()).isEqualTo(TimeZone.getTimeZone(TIME_ZONE));
    }

    @Test
    void stoppingASchoolsRouteFailsOnlyThatSchoolsRunAndTheNextRunCatchesUp() throws Exception {
        pausingASchoolsRouteFailsOnlyThatSchool(() -> camel.getRouteController().stopRoute(route("south")),
                ServiceStatus.Stopped, () -> camel.getRouteController().startRoute(route("south")));
    }

    @Test
    void suspendingASchoolsRouteFailsOnlyThatSchoolsRunAndTheNextRunCatchesUp() throws Exception {
        pausingASchoolsRouteFailsOnlyThatSchool(() -> camel.getRouteController().suspendRoute(route("south")),
                ServiceStatus.Suspended, () -> camel.getRouteController().resumeRoute(route("south")));
    }

    @Test
    void anOperatorCanSuspendAndResumeASchoolsRouteOverJmxAsHawtioDoes() throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName south = jmx.queryNames(new ObjectName("org.apache.camel:type=routes,name=\"" + route("south") + "\",*"), null)
                .stream().findFirst().orElseThrow(() -> new AssertionError("no JMX MBean for route " + route("south")));
        pausingASchoolsRouteFailsOnlyThatSchool(() -> jmx.invoke(south, "suspend", null, null),
                ServiceStatus.Suspended, () -> jmx.invoke(south, "resume", null, null));
    }

    @Test
    void suspendingADistrictsScheduleWaitsForTheRunItStartedPausesItsTriggerAndLeavesOnDemandRunsAlone()
            throws Exception {
        String schedule = "district-" + DISTRICT;
        QuartzEndpoint quartz = (QuartzEndpoint) camel.getRoute(schedule).getEndpoint();
        Scheduler scheduler = quartz.getComponent().getScheduler();
        sandbox.faults(SandboxFaults.none().withSlowResponses(1.0, Duration.ofMillis(150))); // a run of a few seconds
        DistrictRun fired;
        try {
            scheduler.triggerJob(JobKey.jobKey(DISTRICT, "cleversync")); // the schedule fires now
            fired = Await.until(runs::running, running -> !running.isEmpty()).iterator().next();

            camel.getRouteController().suspendRoute(schedule); // within Camel's shutdown timeout (10 s in tests)

            assertThat(fired.finishedAt()).as("suspend() waited for the run the schedule had started").isNotNull();
            assertThat(scheduler.getTriggerState(quartz.getTriggerKey())).isEqualTo(Trigger.TriggerState.PAUSED);
            sandbox.faults(SandboxFaults.none());
            assertThat(sync(producer, DISTRICT).succeeded()).as("a run started on demand (API, run-once)").isTrue();
        } finally {
            sandbox.faults(SandboxFaults.none());
            camel.getRouteController().resumeRoute(schedule);
        }
        assertThat(fired.succeeded()).isTrue();
        assertThat(scheduler.getTriggerState(quartz.getTriggerKey())).isEqualTo(Trigger.TriggerState.NORMAL);
    }

    interface RouteAction {
        void run() throws Exception;
    }

    private void pausingASchoolsRouteFailsOnlyThatSchool(RouteAction pause, ServiceStatus paused, RouteAction resume)
            throws Exception {
        SandboxDistrict district = sandbox.district();
        List<String> ids = schoolIds(district);
        // a change for each school, so that a run has something to write to both
        editAStudentOnlyIn(district, ids.get(0));
        editAStudentOnlyIn(district, ids.get(1));
        SchoolDb south = db("south");
        districts.schools().forEach(school -> school.database().migrate()); // its first use, if no run came first
        Map<String, List<Map<String, Object>>> southBefore = snapshot(south);

        pause.run();
        DistrictRun run;
        try {
            assertThat(camel.getRouteController().getRouteStatus(route("south"))).isEqualTo(paused);

            run = sync(producer, DISTRICT);

            assertThat(camel.getRouteController().getRouteStatus(route("south"))).as("still paused").isEqualTo(paused);
        } finally {
            resume.run();
        }

        SchoolRun southRun = outcome(run, "south");
        assertThat(southRun.status()).isEqualTo(SchoolRun.Status.FAILED);
        assertThat(southRun.errorSummary()).as("names the paused route").contains(route("south"));
        assertThat(southRun.written()).isZero();
        assertThat(snapshot(south)).as("nothing written to the paused school").isEqualTo(southBefore);
        Map<String, Object> audit = south.query("SELECT status, records_written, error_summary, finished_at"
                + " FROM sync_runs WHERE run_id = '" + run.id() + "'").get(0);
        assertThat(audit).containsEntry("status", "FAILED").containsEntry("records_written", 0L)
                .containsEntry("error_summary", southRun.errorSummary());
        assertThat(audit.get("finished_at")).isNotNull();

        SchoolRun northRun = outcome(run, "north");
        assertThat(northRun.status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
        assertThat(northRun.written()).isPositive();
        assertHoldsExactly("north", db("north"), ExpectedSchool.of(district, ids.get(0)));

        DistrictRun next = sync(producer, DISTRICT);

        assertThat(outcome(next, "south").status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
        assertThat(outcome(next, "north").status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
        assertHoldsExactly("south", south, ExpectedSchool.of(district, ids.get(1)));
        assertHoldsExactly("north", db("north"), ExpectedSchool.of(district, ids.get(0)));
    }

    /** Renames a student who belongs to that school alone (a change only that school's database receives). */
    private static void editAStudentOnlyIn(SandboxDistrict district, String schoolId) {
        ObjectNode student = district.records(SandboxResource.STUDENTS)
                .filter(s -> s.at("/roles/student/schools").size() == 1
                        && schoolId.equals(s.at("/roles/student/schools/0").asText()))
                .findFirst().orElseThrow().deepCopy();
        ((ObjectNode) student.get("name")).put("last", "Edited-" + EDITS.incrementAndGet());
        district.put(SandboxResource.STUDENTS, student);
    }

    private static Map<String, List<Map<String, Object>>> snapshot(SchoolDb db) {
        Map<String, List<Map<String, Object>>> all = new LinkedHashMap<>();
        for (String table : List.of("schools", "terms", "courses", "teachers", "staff", "students", "sections")) {
            all.put(table, db.query("SELECT * FROM " + table + " ORDER BY id"));
        }
        all.put("section_students", db.query("SELECT * FROM section_students ORDER BY section_id, student_id"));
        all.put("section_teachers", db.query("SELECT * FROM section_teachers ORDER BY section_id, teacher_id"));
        all.put("sync_rejects", db.query("SELECT * FROM sync_rejects ORDER BY id"));
        return all;
    }

    private RouteDefinition definition(String routeId) {
        return camel.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinition(routeId);
    }

    private static String route(String school) {
        return "school-" + DISTRICT + "-" + school;
    }

    private static SchoolDb db(String school) {
        return SchoolDb.h2(URLS.get(school));
    }
}

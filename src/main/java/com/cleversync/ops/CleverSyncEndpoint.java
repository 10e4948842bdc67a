package com.cleversync.ops;

import com.cleversync.sync.DistrictRun;
import com.cleversync.sync.DistrictRuns;
import com.cleversync.sync.MassArchiveAcceptance;
import com.cleversync.sync.Operator;
import com.cleversync.sync.SchoolRun;
import com.cleversync.sync.SyncDistrict;
import com.cleversync.sync.SyncDistricts;
import com.cleversync.sync.SyncSchool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

/**
 * The management API ({@code /actuator/cleversync}, also an MBean): every district's schedules,
 * breaker, paused schools, accepted mass archives, the running run's progress and each school's last
 * run; starting a run on demand; accepting a mass archive; a district's recent runs. Ids, counts, times and reasons only: no personal data, no secret.
 */
@Component
@Endpoint(id = "cleversync")
public class CleverSyncEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(CleverSyncEndpoint.class);
    private static final int MAX_RUNS = 100;

    private final SyncDistricts districts;
    private final DistrictRuns runs;
    private final CamelContext camel;
    private final MassArchiveAcceptance massArchives;

    CleverSyncEndpoint(SyncDistricts districts, DistrictRuns runs, CamelContext camel, MassArchiveAcceptance massArchives) {
        this.districts = districts;
        this.massArchives = massArchives;
        this.runs = runs;
        this.camel = camel;
    }

    /** Every district: schedules with their next fire times, breaker state, paused schools, the running run, last runs. */
    @ReadOperation
    public Map<String, Object> overview() {
        Map<String, Object> all = new LinkedHashMap<>();
        for (SyncDistrict district : districts.all()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("schedule", schedule(district.schedule(), "cleversync", district));
            d.put("eventsSchedule", district.eventsSchedule() == null ? null
                    : schedule(district.eventsSchedule(), "cleversync-events", district));
            d.put("attendanceSchedule", district.attendance() == null ? null
                    : schedule(district.attendance().schedule(), "cleversync-attendance", district));
            d.put("circuitBreaker", breakerState(district));
            d.put("pausedSchools", district.schools().stream().filter(this::paused).map(SyncSchool::key).toList());
            d.put("massArchiveAccepted", massArchives.pending().stream().filter(p -> p.startsWith(district.key() + "/"))
                    .map(p -> p.substring(district.key().length() + 1)).toList());
            d.put("running", runs.running().stream().filter(r -> r.key().equals(district.key()))
                    .findFirst().map(CleverSyncEndpoint::progress).orElse(null));
            d.put("attendanceRunning", runs.running().stream().filter(r -> r.district().key().equals(district.key())
                    && r.attendance()).findFirst().map(CleverSyncEndpoint::progress).orElse(null));
            Map<String, Object> last = new LinkedHashMap<>();
            for (SyncSchool school : district.schools()) {
                last.put(school.key(), lastFinishedRun(district, school));
            }
            d.put("lastRuns", last);
            all.put(district.key(), d);
        }
        return Map.of("districts", all);
    }

    /**
     * Starts a run of the district ({@code POST {"mode": "full" | "incremental" | "attendance"}}, OPERATOR):
     * 202 with the run's id; 409 while the district (or, for attendance, its attendance) runs, 404 for an
     * unknown district, 400 for another mode or attendance in a district without it.
     */
    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> start(@Selector String district, @Nullable String mode) {
        if (!districts.has(district)) {
            return answer(404, Map.of("error", "no district " + district));
        }
        if (!"full".equals(mode) && !"incremental".equals(mode) && !"attendance".equals(mode)) {
            return answer(400, Map.of("error", "mode must be full, incremental or attendance"));
        }
        String user = Operator.current();
        DistrictRun run;
        try {
            run = runs.startInBackground(district, "api:" + user, mode);
        } catch (IllegalArgumentException notConfigured) { // attendance in a district without it
            return answer(400, Map.of("error", notConfigured.getMessage()));
        }
        if (run == null) {
            boolean attendance = "attendance".equals(mode);
            String elsewhere = runs.runningElsewhere(DistrictRun.key(district, attendance));
            return answer(409, Map.of("error", "district " + district + (attendance ? "'s attendance" : "")
                    + " is running" + (elsewhere == null ? "" : " on " + elsewhere)));
        }
        LOG.warn("operator action: user={} action=start-{}-sync target={} run={}", user, mode, district, run.id());
        return answer(202, Map.of("runId", run.id(), "district", district, "mode", mode));
    }

    /**
     * Accepts, once, a mass archive that the guard stopped ({@code POST …/{district}/mass-archive} with
     * {@code {"school": "…"}}, OPERATOR): the school's next full sync archives what Clever no longer
     * lists, whatever the share. 404 for an unknown district or school.
     */
    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> acceptMassArchive(@Selector String district,
                                                                      @Selector String massArchive, String school) {
        if (!districts.has(district) || !"mass-archive".equals(massArchive)) {
            return answer(404, Map.of("error", "no district " + district));
        }
        if (districts.get(district).schools().stream().noneMatch(s -> s.key().equals(school))) {
            return answer(404, Map.of("error", "no school " + school + " in district " + district));
        }
        return answer(200, Map.of("accepted", district + "/" + school,
                "effect", massArchives.accept(district, school)));
    }

    /** The district's recent runs in each school ({@code GET …/{district}/runs?limit=N}, newest first). */
    @ReadOperation
    public WebEndpointResponse<Map<String, Object>> runs(@Selector String district, @Selector String runs,
                                                         @Nullable Integer limit) {
        if (!districts.has(district) || !"runs".equals(runs)) {
            return answer(404, Map.of("error", "no district " + district));
        }
        int n = limit == null ? 10 : Math.max(1, Math.min(MAX_RUNS, limit));
        Map<String, Object> bySchool = new LinkedHashMap<>();
        SyncDistrict d = districts.get(district);
        for (SyncSchool school : d.schools()) {
            try {
                bySchool.put(school.key(), school.database().recentRuns(district, n));
            } catch (Exception e) {
                bySchool.put(school.key(), Map.of("error", "school database unavailable: " + e.getClass().getSimpleName()));
            }
        }
        return answer(200, Map.of("district", district, "schools", bySchool));
    }

    private static Map<String, Object> progress(DistrictRun run) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("runId", run.id());
        p.put("trigger", run.trigger());
        p.put("mode", run.attendance() ? "attendance" : run.incremental() ? "incremental" : "full");
        p.put("startedAt", run.startedAt().toString());
        p.put("currentList", run.currentList());
        p.put("pages", run.pages());
        double seconds = Math.max(0.001, Duration.between(run.startedAt(), Instant.now()).toMillis() / 1000.0);
        List<Map<String, Object>> schools = new ArrayList<>();
        for (SchoolRun school : run.schools()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("school", school.school().key());
            s.put("status", school.status().name());
            s.put("read", school.read());
            s.put("written", school.written());
            s.put("unchanged", school.unchanged());
            s.put("recordsPerSecond", Math.round(school.read() / seconds));
            schools.add(s);
        }
        p.put("schools", schools);
        return p;
    }

    private Object lastFinishedRun(SyncDistrict district, SyncSchool school) {
        try {
            return school.database().recentRuns(district.key(), 5).stream()
                    .filter(r -> !"RUNNING".equals(r.get("status"))).findFirst().orElse(null);
        } catch (Exception e) {
            return Map.of("error", "school database unavailable: " + e.getClass().getSimpleName());
        }
    }

    private Map<String, Object> schedule(String cron, String group, SyncDistrict district) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("cron", cron);
        s.put("timeZone", district.timeZone());
        Object next = null;
        String state = null;
        try {
            Scheduler scheduler = camel.getComponent("quartz", QuartzComponent.class).getScheduler();
            TriggerKey key = TriggerKey.triggerKey(district.key(), group);
            Trigger trigger = scheduler.getTrigger(key);
            next = trigger == null || trigger.getNextFireTime() == null ? null : trigger.getNextFireTime().toInstant().toString();
            // the trigger's own state, the same on every replica: normal, paused, blocked (its run is going on)
            state = trigger == null ? null : scheduler.getTriggerState(key).name().toLowerCase(Locale.ROOT);
        } catch (Exception e) {
            next = null; // no scheduler (run-once)
        }
        s.put("nextFireTime", next);
        s.put("state", state);
        return s;
    }

    private String breakerState(SyncDistrict district) {
        ResilienceProcessor breaker = camel.getProcessor(district.breakerId(), ResilienceProcessor.class);
        return breaker == null ? null : breaker.getCircuitBreakerState();
    }

    private boolean paused(SyncSchool school) {
        ServiceStatus status = camel.getRouteController().getRouteStatus(school.routeId());
        return status != null && !status.isStarted();
    }

    private static WebEndpointResponse<Map<String, Object>> answer(int status, Map<String, Object> body) {
        return new WebEndpointResponse<>(body, status);
    }
}

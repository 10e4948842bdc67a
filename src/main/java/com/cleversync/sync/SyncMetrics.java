package com.cleversync.sync;

import com.cleversync.aeries.AeriesConversation;
import com.cleversync.clever.CleverConversation;
import com.cleversync.config.CleverSyncProperties;
import com.cleversync.oneroster.OneRosterConversation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.apache.camel.component.seda.SedaEndpoint;
import jakarta.annotation.PreDestroy;
import org.springframework.stereotype.Component;

/**
 * CleverSync's own Prometheus series ({@code /actuator/prometheus}). Nothing is counted per record:
 * record counts are added once per school when a run ends, requests once per page, so the pipeline's
 * speed does not depend on the metrics. Names as Prometheus shows them:
 * <ul>
 *   <li>{@code cleversync_records_total{district,school,outcome}}: written, unchanged, rejected, superseded,
 *       archived; skipped (school {@code none}) for records of no configured school</li>
 *   <li>{@code cleversync_run_duration_seconds{district,mode,status}}</li>
 *   <li>{@code cleversync_school_last_success_timestamp_seconds{district,school}}: end of the last run that
 *       completed for the school (SUCCEEDED or PARTIAL), read from its sync_runs at startup</li>
 *   <li>{@code cleversync_clever_requests_total{district,status}}, {@code cleversync_rate_limit_wait_seconds_total{district}}</li>
 *   <li>{@code cleversync_mass_archive_guard_trips_total{district,school}}</li>
 *   <li>{@code cleversync_writer_lane_queue_depth{lane}}, {@code cleversync_circuit_breaker_state{district,state}} (1 for
 *       the current state)</li>
 * </ul>
 */
@Component
public class SyncMetrics implements CleverConversation.Observer, OneRosterConversation.Observer,
        AeriesConversation.Observer {
    private static final List<String> BREAKER_STATES = List.of("CLOSED", "OPEN", "HALF_OPEN", "FORCED_OPEN", "DISABLED");

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
    /** Reads each school's last success at startup, as many schools at once as may migrate at once. */
    private final ExecutorService seeds;

    SyncMetrics(MeterRegistry registry, SyncDistricts districts, WriterLanes writers, CamelContext camel,
                CleverSyncProperties properties) {
        this.registry = registry;
        this.seeds = Executors.newFixedThreadPool(properties.sync().migrationThreads(), task -> {
            Thread thread = new Thread(task, "last-success-seed");
            thread.setDaemon(true);
            return thread;
        });
        // every series an alert watches exists from startup, at 0: increase() cannot see a series' first value
        for (SyncDistrict district : districts.all()) {
            records(district.key(), "none", "skipped", 0);
            List<String> modes = district.attendance() == null ? List.of("full", "incremental")
                    : List.of("full", "incremental", "attendance");
            for (String mode : modes) {
                for (SchoolRun.Status status : List.of(SchoolRun.Status.SUCCEEDED, SchoolRun.Status.PARTIAL,
                        SchoolRun.Status.FAILED)) {
                    runDuration(district.key(), mode, status.name());
                }
            }
        }
        for (SyncSchool school : districts.schools()) {
            for (String outcome : List.of("written", "unchanged", "rejected", "superseded", "archived")) {
                records(school.district(), school.key(), outcome, 0);
            }
            guardTrips(school.district(), school.key());
            if (districts.get(school.district()).attendance() != null) {
                for (String outcome : List.of("written", "unchanged", "rejected", "archived")) {
                    attendanceRecords(school.district(), school.key(), outcome, 0);
                }
            }
            AtomicLong seconds = new AtomicLong();
            lastSuccess.put(school.routeId(), seconds);
            // read in the background: a thousand schools, or one unreachable, must not delay startup
            seeds.execute(() -> seconds.accumulateAndGet(lastCompletedRun(school), Math::max));
            Gauge.builder("cleversync.school.last.success.timestamp", seconds, AtomicLong::get).baseUnit("seconds")
                    .description("end of the school's last completed run (SUCCEEDED or PARTIAL), epoch seconds")
                    .tags("district", school.district(), "school", school.key()).register(registry);
        }
        for (int lane = 0; lane < writers.lanes(); lane++) {
            String uri = writers.uri(lane);
            Gauge.builder("cleversync.writer.lane.queue.depth", () -> camel.getEndpoint(uri, SedaEndpoint.class)
                            .getCurrentQueueSize())
                    .description("completed batches waiting in the writer lane").tags("lane", String.valueOf(lane))
                    .register(registry);
        }
        for (SyncDistrict district : districts.all()) {
            for (String state : BREAKER_STATES) {
                Gauge.builder("cleversync.circuit.breaker.state", () -> state.equals(breakerState(camel,
                                district.breakerId())) ? 1 : 0)
                        .description("1 for the district's circuit breaker's current state")
                        .tags("district", district.key(), "state", state).register(registry);
                if (district.attendance() != null
                        && district.attendance().source() instanceof SyncAttendance.Source.Aeries) {
                    Gauge.builder("cleversync.attendance.circuit.breaker.state", () -> state.equals(breakerState(camel,
                                    "aeries-breaker-" + district.key())) ? 1 : 0)
                            .description("1 for the current state of the circuit breaker of the district's Aeries")
                            .tags("district", district.key(), "state", state).register(registry);
                }
            }
        }
    }

    /** A response from the district's source (once per page or request, never per record). */
    @Override
    public void answered(String district, int status) {
        Counter.builder("cleversync.clever.requests").description("requests to the district's sources by HTTP status")
                .tags("district", district, "status", String.valueOf(status)).register(registry).increment();
    }

    /** The mass-archive guard stopped a school's archiving. */
    void massArchiveGuardTripped(SchoolRun school) {
        guardTrips(school.school().district(), school.school().key()).increment();
    }

    private Counter guardTrips(String district, String school) {
        return Counter.builder("cleversync.mass.archive.guard.trips").description("full syncs whose archiving the guard stopped")
                .tags("district", district, "school", school).register(registry);
    }

    private Timer runDuration(String district, String mode, String status) {
        return Timer.builder("cleversync.run.duration").description("duration of district runs")
                .tags("district", district, "mode", mode, "status", status).register(registry);
    }

    @Override
    public void waitedOutRateLimit(String district, Duration wait) {
        Counter.builder("cleversync.rate.limit.wait").baseUnit("seconds").description("time spent waiting out 429s")
                .tags("district", district).register(registry).increment(wait.toMillis() / 1000.0);
    }

    /** A run has ended: its duration, each school's record counts, and when each school last completed. */
    void runFinished(DistrictRun run) {
        String district = run.district().key();
        if (run.attendance()) {
            runDuration(district, "attendance", status(run)).record(run.elapsed());
            for (SchoolRun school : run.schools()) {
                String key = school.school().key();
                attendanceRecords(district, key, "written", school.written());
                attendanceRecords(district, key, "unchanged", school.unchanged());
                attendanceRecords(district, key, "rejected", school.rejected());
                attendanceRecords(district, key, "archived", school.archived());
            }
            return; // a school's last success is its roster's: attendance runs beside it
        }
        runDuration(district, run.incremental() ? "incremental" : "full", status(run)).record(run.elapsed());
        records(district, "none", "skipped", run.skipped());
        for (SchoolRun school : run.schools()) {
            String key = school.school().key();
            records(district, key, "written", school.written());
            records(district, key, "unchanged", school.unchanged());
            records(district, key, "rejected", school.rejected());
            records(district, key, "superseded", school.superseded());
            records(district, key, "archived", school.archived());
            if (school.status() != SchoolRun.Status.FAILED) {
                lastSuccess.get(school.school().routeId()).set(Instant.now().getEpochSecond());
            }
        }
    }

    private void attendanceRecords(String district, String school, String outcome, long count) {
        Counter.builder("cleversync.attendance.records").description("attendance records by what the run did with them")
                .tags("district", district, "school", school, "outcome", outcome).register(registry).increment(count);
    }

    private void records(String district, String school, String outcome, long count) {
        Counter.builder("cleversync.records").description("records by what the run did with them")
                .tags("district", district, "school", school, "outcome", outcome).register(registry).increment(count);
    }

    /** FAILED if a school failed, PARTIAL if one is partial, else SUCCEEDED. */
    private static String status(DistrictRun run) {
        SchoolRun.Status worst = SchoolRun.Status.SUCCEEDED;
        for (SchoolRun school : run.schools()) {
            if (school.status() == SchoolRun.Status.FAILED || school.status() == SchoolRun.Status.PARTIAL
                    && worst == SchoolRun.Status.SUCCEEDED) {
                worst = school.status();
            }
        }
        return worst.name();
    }

    private static String breakerState(CamelContext camel, String breakerId) {
        ResilienceProcessor breaker = camel.getProcessor(breakerId, ResilienceProcessor.class);
        return breaker == null ? "CLOSED" : breaker.getCircuitBreakerState();
    }

    @PreDestroy
    void stopSeeding() {
        seeds.shutdownNow();
    }

    /**
     * When the school's last completed run ended, from its sync_runs (0 when none or unreachable).
     * This is the school's first use since startup, so it migrates the school's schema; the
     * connection is closed afterwards, not kept until the pool's idle timeout.
     */
    private static long lastCompletedRun(SyncSchool school) {
        try {
            school.database().migrate();
            return school.database().recentRuns(school.district(), 20).stream()
                    .filter(r -> "SUCCEEDED".equals(r.get("status")) || "PARTIAL".equals(r.get("status")))
                    .map(r -> (String) r.get("finished_at")).filter(t -> t != null).findFirst()
                    .map(t -> LocalDateTime.parse(t).toEpochSecond(ZoneOffset.UTC)).orElse(0L);
        } catch (Exception e) {
            return 0;
        } finally {
            school.database().releaseIdleConnections();
        }
    }
}

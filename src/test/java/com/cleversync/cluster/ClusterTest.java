package com.cleversync.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.ChildSync;
import com.cleversync.ExpectedSchool;
import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxFaults;
import com.cleversync.sandbox.SandboxSize;
import com.cleversync.sync.SchoolAssertions;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several replicas, each a JVM of its own, sharing one control database and the school databases
 * on the machine's PostgreSQL, and one Clever (the sandbox, in this JVM): every fire of a schedule
 * runs once, on one replica, spread over the replicas; a replica killed mid-run (SIGKILL) is taken
 * over by another, which resumes the run from its checkpoints and converges on exactly Clever's
 * data; one district started on two replicas at once runs once.
 */
class ClusterTest {
    static final String TOKEN = "cluster-token";
    /**
     * Well above a run of the small district on a loaded 2-core machine (1-2 s): a fire that finds its
     * run still going waits for it. A divisor of 60, so that the cron's fires are evenly spaced.
     */
    static final int FIRE_SECONDS = 10;
    static CleverSandbox sandbox;
    final List<ChildSync> replicas = new ArrayList<>();
    /** A district that syncs in a second or two, for the fires. */
    CleverSandbox small;

    @BeforeAll
    static void start() {
        TestDatabases.requirePostgres();
        sandbox = CleverSandbox.start(new SandboxDistrict(new SandboxSize(2, 1200, 20, 4, 40, 15, 2, 6, 11L)), TOKEN, 0, 6000);
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @AfterEach
    void stopReplicas() throws Exception {
        sandbox.faults(SandboxFaults.none());
        for (ChildSync replica : replicas) {
            replica.close();
        }
        if (small != null) {
            small.close();
        }
    }

    @Test
    void everyFireOfAScheduleRunsOnceOnOneReplicaAndTheFiresSpreadOverTheReplicas() throws Exception {
        List<String> districts = List.of("north", "south", "west");
        Map<String, String> schools = new LinkedHashMap<>();
        small = CleverSandbox.start(new SandboxDistrict(new SandboxSize(2, 200, 10, 2, 10, 10, 2, 4, 12L)),
                TOKEN, 0, 6000);
        Map<String, String> p = cluster(small, TestDatabases.postgres("control"));
        p.put("cleversync.clever.page-size", "1000");
        p.put("cleversync.sync.max-concurrent-districts", "1"); // one scheduler thread: a busy replica leaves fires to the others
        for (String district : districts) {
            schools.put(district, TestDatabases.postgres("cluster_" + district));
            p.putAll(district(small, district, "0/" + FIRE_SECONDS + " * * * * ?", Map.of("main", schools.get(district)), false));
        }
        for (int i = 0; i < 3; i++) {
            replicas.add(ChildSync.start(service(p), "256m"));
        }
        for (ChildSync replica : replicas) {
            replica.awaitWhileRunning(() -> replica.output().contains("Started CleverSyncApplication"), Duration.ofSeconds(120));
        }
        Instant allUp = Instant.now();
        // steady state: several fires per district after every replica is up
        replicas.get(0).awaitWhileRunning(() -> districts.stream()
                .allMatch(d -> runsAfter(schools.get(d), allUp.plusSeconds(FIRE_SECONDS)).size() >= 4), Duration.ofSeconds(120));
        for (ChildSync replica : replicas) {
            replica.terminate();
        }
        for (ChildSync replica : replicas) {
            replica.awaitExit(Duration.ofSeconds(30));
        }

        Set<Object> ranOn = new HashSet<>();
        for (String district : districts) {
            List<Map<String, Object>> runs = runsAfter(schools.get(district), allUp.plusSeconds(FIRE_SECONDS));
            Instant first = instant(runs.get(0).get("started_at"));
            for (int i = 0; i < runs.size(); i++) {
                Map<String, Object> run = runs.get(i);
                // the i-th run after the first starts at the i-th fire after it: no fire lost, none run twice
                long fire = Math.round(Duration.between(first, instant(run.get("started_at"))).toMillis() / (FIRE_SECONDS * 1000.0));
                assertThat(fire).as("%s run %d of %s", district, i, runs).isEqualTo(i);
                assertThat(run.get("trigger")).isEqualTo("full-schedule");
                if (i > 0 && runs.get(i - 1).get("finished_at") != null) {
                    assertThat(instant(run.get("started_at"))).as("%s runs never overlap: %s", district, runs)
                            .isAfterOrEqualTo(instant(runs.get(i - 1).get("finished_at")));
                }
                ranOn.add(run.get("replica"));
            }
        }
        assertThat(ranOn).as("the fires spread over the replicas").hasSizeGreaterThanOrEqualTo(2);
        for (ChildSync replica : replicas) {
            assertThat(replica.output()).as("no replica was ever handed a fire of a running district")
                    .doesNotContain("is already syncing");
        }
    }

    /**
     * A replica killed (SIGKILL) mid-run leaves its lease to expire: another replica takes it over once
     * lease-ttl has passed. One stopped (SIGTERM) hands its run over: with a lease-ttl of a minute, the
     * takeover within seconds shows that the lease was handed over, not left to expire.
     */
    @ParameterizedTest(name = "killed: {0}")
    @ValueSource(booleans = {true, false})
    void aReplicaThatDiesOrStopsMidRunIsTakenOverByAnotherWhichResumesTheRunAndConverges(boolean killed) throws Exception {
        String[] names = killed ? new String[] {"killed_ash", "killed_birch"} : new String[] {"stopped_ash", "stopped_birch"};
        Map<String, String> schools = Map.of("ash", TestDatabases.postgres(names[0]), "birch", TestDatabases.postgres(names[1]));
        Map<String, String> p = cluster(TestDatabases.postgres("control"));
        p.put("cleversync.clever.page-size", "100");
        p.put("cleversync.sync.batch-size", "50");
        p.put("cleversync.control.lease-ttl", killed ? "4s" : "60s");
        sandbox.faults(SandboxFaults.none().withSlowResponses(1.0, Duration.ofMillis(150)));
        Map<String, String> first = new LinkedHashMap<>(p);
        first.putAll(district("takeover", "0 0 2 1 1 ? 2099", schools, true));
        Map<String, String> second = new LinkedHashMap<>(p);
        second.putAll(district("takeover", "0 0 2 1 1 ? 2099", schools, false));
        ChildSync dying = ChildSync.start(service(first), "256m");
        replicas.add(dying);
        ChildSync survivor = ChildSync.start(service(second), "256m");
        replicas.add(survivor);
        SchoolDb ash = SchoolDb.postgres(schools.get("ash"));
        survivor.awaitWhileRunning(() -> survivor.output().contains("Started CleverSyncApplication"), Duration.ofSeconds(120));
        dying.awaitWhileRunning(() -> checkpointIn(ash, "students"), Duration.ofSeconds(120));
        Instant gone = Instant.now();
        if (killed) {
            dying.kill();
        } else {
            dying.terminate();
            dying.awaitExit(Duration.ofSeconds(30));
        }
        String firstRun = (String) ash.query("SELECT run_id FROM sync_runs").get(0).get("run_id");
        sandbox.faults(SandboxFaults.none());

        survivor.awaitWhileRunning(() -> ash.count("SELECT COUNT(*) FROM sync_runs WHERE \"trigger\" = 'takeover'") == 1,
                Duration.ofSeconds(30));
        Duration takenOverAfter = Duration.between(gone, Instant.now());
        survivor.awaitWhileRunning(() -> ash.count(
                "SELECT COUNT(*) FROM sync_runs WHERE \"trigger\" = 'takeover' AND status <> 'RUNNING'") == 1, Duration.ofSeconds(120));
        System.out.printf("cluster takeover: the %s replica's district was taken over after %.1f s and converged"
                + " after %.1f s%n", killed ? "killed" : "stopped", takenOverAfter.toMillis() / 1000.0,
                Duration.between(gone, Instant.now()).toMillis() / 1000.0);

        assertThat(survivor.output()).contains("district takeover: replica ")
                .contains("/" + dying.pid() + " stopped renewing its lease (run " + firstRun + "); run ");
        for (String school : List.of("ash", "birch")) {
            SchoolDb db = SchoolDb.postgres(schools.get(school));
            Map<String, Object> cut = db.query("SELECT status, error_summary FROM sync_runs WHERE run_id = '" + firstRun + "'").get(0);
            if (killed) {
                assertThat(cut).isEqualTo(Map.of("status", "INTERRUPTED", "error_summary", "the service stopped before the run finished"));
            } else {
                assertThat(cut.get("status")).isEqualTo("FAILED");
                assertThat((String) cut.get("error_summary")).contains("because the service is shutting down");
            }
            Map<String, Object> takeover = db.query("SELECT * FROM sync_runs WHERE \"trigger\" = 'takeover'").get(0);
            assertThat(takeover).containsEntry("status", "SUCCEEDED").containsEntry("sync_mode", "resumed")
                    .containsEntry("resumed_run_id", firstRun);
            assertThat((String) takeover.get("replica")).endsWith("/" + survivor.pid());
            SchoolAssertions.assertHoldsExactly(school, db, ExpectedSchool.of(sandbox.district(),
                    SchoolAssertions.schoolIds(sandbox.district()).get(school.equals("ash") ? 0 : 1)));
        }
    }

    @Test
    void oneDistrictStartedOnTwoReplicasAtOnceRunsOnce() throws Exception {
        Map<String, String> schools = Map.of("ash", TestDatabases.postgres("twice_ash"));
        Map<String, String> p = cluster(TestDatabases.postgres("control"));
        p.put("cleversync.clever.page-size", "100");
        p.putAll(district("twice", "0 0 2 1 1 ? 2099", schools, false));
        sandbox.faults(SandboxFaults.none().withSlowResponses(1.0, Duration.ofMillis(200)));
        ChildSync one = ChildSync.start(p, "256m");
        replicas.add(one);
        ChildSync other = ChildSync.start(p, "256m");
        replicas.add(other);
        List<Integer> exits = List.of(one.awaitExit(Duration.ofSeconds(180)), other.awaitExit(Duration.ofSeconds(180)));

        assertThat(exits).as(one.output() + other.output()).containsExactlyInAnyOrder(0, 1);
        ChildSync skipped = exits.get(0) == 1 ? one : other;
        ChildSync ran = skipped == one ? other : one;
        assertThat(skipped.output()).contains("district twice is already syncing on replica ")
                .contains("/" + ran.pid() + ", run ").contains("the run-once trigger is skipped");
        assertThat(SchoolDb.postgres(schools.get("ash")).query("SELECT status, replica FROM sync_runs"))
                .as("one run, on the replica that won the lease")
                .hasSize(1).first().satisfies(run -> {
                    assertThat(run).containsEntry("status", "SUCCEEDED");
                    assertThat((String) run.get("replica")).endsWith("/" + ran.pid());
                });
    }

    /** The settings every replica shares: Clever, the control database, short leases and check-ins. */
    private static Map<String, String> cluster(String controlUrl) {
        return cluster(sandbox, controlUrl);
    }

    private static Map<String, String> cluster(CleverSandbox clever, String controlUrl) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("cleversync.clever.base-url", clever.baseUrl());
        p.put("cleversync.control.jdbc-url", controlUrl);
        p.put("cleversync.control.username", TestDatabases.POSTGRES_USER);
        p.put("cleversync.control.lease-ttl", "4s");
        p.put("cleversync.control.lease-renewal", "1s");
        p.put("cleversync.control.checkin-interval", "2s");
        return p;
    }

    private static Map<String, String> district(String key, String schedule, Map<String, String> schools, boolean onStartup) {
        return district(sandbox, key, schedule, schools, onStartup);
    }

    private static Map<String, String> district(CleverSandbox clever, String key, String schedule, Map<String, String> schools,
                                                boolean onStartup) {
        List<String> ids = SchoolAssertions.schoolIds(clever.district());
        Map<String, String> p = new LinkedHashMap<>();
        String prefix = "cleversync.districts." + key;
        p.put(prefix + ".token", TOKEN);
        p.put(prefix + ".schedule", schedule);
        p.put(prefix + ".sync-on-startup", String.valueOf(onStartup));
        int i = 0;
        for (Map.Entry<String, String> school : new TreeMap<>(schools).entrySet()) {
            p.put(prefix + ".schools." + school.getKey() + ".clever-id", ids.get(i++));
            p.put(prefix + ".schools." + school.getKey() + ".jdbc-url", school.getValue());
            p.put(prefix + ".schools." + school.getKey() + ".username", TestDatabases.POSTGRES_USER);
        }
        return p;
    }

    /** A replica: the service, not run-once. */
    private static Map<String, String> service(Map<String, String> p) {
        Map<String, String> service = new LinkedHashMap<>(p);
        service.put("cleversync.run-once", "false");
        return service;
    }

    private static List<Map<String, Object>> runsAfter(String school, Instant after) {
        try {
            return SchoolDb.postgres(school).query("SELECT run_id, \"trigger\", replica, status, started_at, finished_at"
                    + " FROM sync_runs ORDER BY started_at").stream()
                    .filter(r -> instant(r.get("started_at")).isAfter(after)).toList();
        } catch (IllegalStateException notMigratedYet) {
            return List.of();
        }
    }

    private static Instant instant(Object timestamp) {
        return ((Timestamp) timestamp).toInstant();
    }

    private static boolean checkpointIn(SchoolDb db, String resource) {
        try {
            return db.count("SELECT COUNT(*) FROM sync_checkpoints WHERE resource = '" + resource + "'") > 0;
        } catch (IllegalStateException notMigratedYet) {
            return false;
        }
    }
}

package com.cleversync.bench;

import com.cleversync.CleverSyncApplication;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import com.cleversync.sync.DistrictRun;
import com.cleversync.sync.DistrictRuns;
import com.cleversync.sync.SchoolRun;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.ProducerTemplate;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Many configured schools (default 100 districts of 10 schools) whose databases are schemas of one
 * PostgreSQL database on localhost:5432 (the server's default max_connections: 100). Prints startup
 * time, idle heap and threads, the connections held at idle, then one sync of every district (all
 * submitted at once, as one cron would, then 4 at a time) with the peak of connections and heap,
 * and the connections held afterwards. Every district is the same small 10-school sandbox district
 * behind one token. Run with {@code bench/many-schools.sh [districts] [schools-per-district]}.
 */
public final class ManySchoolsBenchmark {
    static final String DATABASE = "cs_bench_many";
    static final String URL = "jdbc:postgresql://localhost:5432/" + DATABASE;
    static final String TOKEN = "many-token";
    /**
     * Every district shares one token here (each has its own in production): its budget is raised so that the
     * runs are not throttled artificially. The throttler holds a permit object per request of the budget (24 B).
     */
    static final int REQUESTS_PER_MINUTE = 100_000;
    static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    public static void main(String[] args) throws Exception {
        int districts = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int perDistrict = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int schools = districts * perDistrict;
        SandboxDistrict district = new SandboxDistrict(new SandboxSize(perDistrict, 30 * perDistrict,
                3 * perDistrict, perDistrict, 3 * perDistrict, 10, 2, 2 * perDistrict, 2026L));
        List<String> cleverIds = district.records(SandboxResource.SCHOOLS).map(s -> s.get("id").asText()).toList();
        freshDatabase(schools);

        List<String> out = new ArrayList<>();
        out.add(String.format("many schools: %d districts x %d schools = %d schools, one PostgreSQL database"
                + " (%s, a schema per school), heap max %d MB, %d cores", districts, perDistrict, schools, DATABASE,
                Runtime.getRuntime().maxMemory() / (1024 * 1024), Runtime.getRuntime().availableProcessors()));
        out.add(String.format("each district: the same sandbox district of %d schools, %d students, %d teachers,"
                + " %d sections", perDistrict, district.size().students(), district.size().teachers(),
                district.size().sections()));
        out.add("PostgreSQL max_connections: " + adminQuery("SHOW max_connections"));

        try (CleverSandbox sandbox = CleverSandbox.start(district, TOKEN, 0, REQUESTS_PER_MINUTE);
             Connection monitor = DriverManager.getConnection(URL, TestDatabases.POSTGRES_USER, "")) {
            Map<String, String> props = properties(sandbox.baseUrl(), districts, perDistrict, cleverIds);
            for (int i = 2; i < args.length; i++) { // further arguments: key=value overrides, e.g. to compare a setting
                String[] kv = args[i].split("=", 2);
                props.put(kv[0], kv[1]);
                out.add("override: " + args[i]);
            }
            String[] appArgs = BenchDistrict.arguments(props);
            long start = System.nanoTime();
            ConfigurableApplicationContext app = new SpringApplicationBuilder(CleverSyncApplication.class).run(appArgs);
            double startup = (System.nanoTime() - start) / 1e9;
            try (app) {
                out.add(String.format("startup: %.1f s (run() returned; %d connections held right after)", startup,
                        connections(monitor)));
                long seedStart = System.nanoTime();
                int migrated = waitForSeeding(monitor, schools, 600);
                double seeding = (System.nanoTime() - seedStart) / 1e9;
                System.gc();
                Thread.sleep(500);
                System.gc();
                out.add(String.format("background seeding (migrate + last success of every school): %.1f s after"
                        + " startup, %d/%d schools migrated", seeding, migrated, schools));
                out.add(String.format("idle: heap used %d MB after GC, %d live threads (%d HikariCP housekeepers),"
                        + " %d connections held", MEMORY.getHeapMemoryUsage().getUsed() / (1024 * 1024),
                        Thread.activeCount(), housekeepers(), connections(monitor)));

                ProducerTemplate producer = app.getBean(ProducerTemplate.class);
                List<String> keys = new ArrayList<>();
                for (int d = 0; d < districts; d++) {
                    keys.add(districtKey(d));
                }
                out.add(syncAll("sync of every district, all submitted at once", producer, monitor, keys, keys.size()));
                out.add(syncAll("sync of every district, 4 at a time (nothing changed)", producer, monitor, keys, 4));
                Thread.sleep(15_000);
                out.add(String.format("15 s after the syncs: %d connections held", connections(monitor)));
                System.gc();
                out.add(String.format("after the syncs: heap used %d MB after GC, %d live threads",
                        MEMORY.getHeapMemoryUsage().getUsed() / (1024 * 1024), Thread.activeCount()));
            }
        }
        System.out.println();
        System.out.println("==== many schools ====");
        out.forEach(System.out::println);
        System.out.println("======================");
        System.exit(0);
    }

    /** One sync of every district, {@code concurrency} at a time, sampling connections and heap every 100 ms. */
    private static String syncAll(String what, ProducerTemplate producer, Connection monitor, List<String> keys,
                                  int concurrency) throws Exception {
        System.gc();
        AtomicLong peakConnections = new AtomicLong();
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = new Thread(() -> {
            try (Connection c = DriverManager.getConnection(TestDatabases.POSTGRES_ADMIN_URL,
                    TestDatabases.POSTGRES_USER, "")) {
                while (!Thread.currentThread().isInterrupted()) {
                    peakHeap.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
                    peakConnections.accumulateAndGet(connectionsOf(c), Math::max);
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                // done
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, "connection-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long start = System.nanoTime();
        Map<SchoolRun.Status, Integer> statuses = new EnumMap<>(SchoolRun.Status.class);
        Map<String, Integer> errors = new LinkedHashMap<>();
        long records = 0;
        int districtFailures = 0;
        ExecutorService submitter = Executors.newFixedThreadPool(Math.min(concurrency, 16));
        List<CompletableFuture<Object>> runs = new ArrayList<>();
        if (concurrency >= keys.size()) {
            for (String key : keys) {
                runs.add(producer.asyncRequestBodyAndHeader("direct:sync-district", null, DistrictRuns.DISTRICT, key));
            }
        } else {
            for (String key : keys) {
                runs.add(CompletableFuture.supplyAsync(() ->
                        producer.requestBodyAndHeader("direct:sync-district", null, DistrictRuns.DISTRICT, key), submitter));
            }
        }
        for (CompletableFuture<Object> f : runs) {
            try {
                DistrictRun run = (DistrictRun) f.get(30, TimeUnit.MINUTES);
                records += run.read();
                for (SchoolRun s : run.schools()) {
                    statuses.merge(s.status(), 1, Integer::sum);
                    if (s.errorSummary() != null) {
                        errors.merge(s.errorSummary().length() > 160 ? s.errorSummary().substring(0, 160)
                                : s.errorSummary(), 1, Integer::sum);
                    }
                }
            } catch (Exception e) {
                districtFailures++;
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                errors.merge("district run threw " + cause, 1, Integer::sum);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        submitter.shutdown();
        sampler.interrupt();
        sampler.join();
        StringBuilder s = new StringBuilder(String.format("%s: %d districts in %.1f s, %,d Clever records = %,.0f"
                        + " records/s; school runs %s%s; peak connections %d; peak heap used %d MB",
                what, keys.size(), seconds, records, records / seconds, statuses,
                districtFailures > 0 ? ", " + districtFailures + " district runs failed" : "",
                peakConnections.get(), peakHeap.get() / (1024 * 1024)));
        errors.entrySet().stream().limit(5).forEach(e -> s.append("\n    ").append(e.getValue()).append(" x ").append(e.getKey()));
        return s.toString();
    }

    static String districtKey(int d) {
        return String.format("d%03d", d + 1);
    }

    static Map<String, String> properties(String baseUrl, int districts, int perDistrict, List<String> cleverIds) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("spring.main.web-application-type", "none");
        p.put("camel.main.run-controller", "false");
        p.put("logging.level.com.cleversync", "WARN");
        p.put("cleversync.clever.base-url", baseUrl);
        p.put("cleversync.clever.requests-per-minute", String.valueOf(REQUESTS_PER_MINUTE));
        int school = 0;
        for (int d = 0; d < districts; d++) {
            String prefix = "cleversync.districts." + districtKey(d);
            p.put(prefix + ".token", TOKEN);
            p.put(prefix + ".schedule", "0 0 2 1 1 ? 2099");
            for (int i = 0; i < perDistrict; i++) {
                String s = prefix + ".schools.s" + (i + 1);
                p.put(s + ".clever-id", cleverIds.get(i));
                p.put(s + ".jdbc-url", URL + "?currentSchema=" + schema(++school));
                p.put(s + ".username", TestDatabases.POSTGRES_USER);
            }
        }
        return p;
    }

    static String schema(int school) {
        return String.format("s%04d", school);
    }

    /** Drops and creates the database with one empty schema per school. */
    static void freshDatabase(int schools) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestDatabases.POSTGRES_ADMIN_URL, TestDatabases.POSTGRES_USER, "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DATABASE);
        }
        try (Connection c = DriverManager.getConnection(URL, TestDatabases.POSTGRES_USER, "");
             Statement s = c.createStatement()) {
            for (int i = 1; i <= schools; i++) {
                s.addBatch("CREATE SCHEMA " + schema(i));
            }
            s.executeBatch();
        }
    }

    /** Waits until every school's schema has flyway_schema_history and no connection is held; returns schools migrated. */
    static int waitForSeeding(Connection monitor, int schools, int timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int migrated = 0;
        while (System.nanoTime() < deadline) {
            try (Statement s = monitor.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                         + " WHERE c.relname = 'sync_runs' AND n.nspname LIKE 's%'")) {
                rs.next();
                migrated = rs.getInt(1);
            }
            if (migrated >= schools && connections(monitor) == 0) {
                return migrated;
            }
            Thread.sleep(200);
        }
        return migrated;
    }

    /** Sessions on the benchmark's database, the monitor's own excluded. */
    static long connections(Connection monitor) throws SQLException {
        try (Statement s = monitor.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + DATABASE
                     + "' AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long connectionsOf(Connection admin) throws SQLException {
        try (Statement s = admin.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + DATABASE + "'")) {
            rs.next();
            return rs.getLong(1) - 1; // the monitor's session on the benchmark database
        }
    }

    static String adminQuery(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestDatabases.POSTGRES_ADMIN_URL, TestDatabases.POSTGRES_USER, "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static long housekeepers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().contains("housekeeper")).count();
    }

    private ManySchoolsBenchmark() {}
}

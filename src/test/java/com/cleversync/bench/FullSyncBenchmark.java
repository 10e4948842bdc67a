package com.cleversync.bench;

import com.cleversync.CleverSyncApplication;
import com.cleversync.TestDatabases;
import com.cleversync.clever.CleverPage;
import com.cleversync.clever.CleverRecord;
import com.cleversync.clever.CleverResource;
import com.cleversync.sandbox.SandboxSize;
import com.cleversync.sync.DistrictRun;
import com.cleversync.sync.DistrictRuns;
import com.cleversync.sync.SchoolRun;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.ProducerTemplate;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Full sync of a generated district (default 100,000 students, 5,000 teachers, 20,000 sections of
 * ~25 students, 20 schools, all configured) from the Clever sandbox, in a JVM of its own
 * ({@link SandboxProcess}), into 20 fresh PostgreSQL
 * databases, then the same rows inserted again with plain JDBC batches as the ceiling, and loaded
 * with PostgreSQL's COPY alone as the physical limit, and every page read and parsed alone (the
 * sandbox's serving and the parsing, which no sync can beat on the same machine); last, a full sync into the emptied databases in
 * the now warm JVM (as a long-running service syncs), beside the ceilings measured warm too.
 * Run with {@code bench/full-sync.sh [students] [page-size] [faults]}; prints records/s, time and
 * peak heap. With {@code faults}, the first sync runs against 10 % injected 5xx and periodic 429 bursts.
 */
public final class FullSyncBenchmark {
    private static final List<String> TABLES = List.of("schools", "terms", "courses", "teachers", "staff", "students",
            "sections", "section_students", "section_teachers");

    public static void main(String[] args) throws Exception {
        int students = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int pageSize = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        boolean faults = args.length > 2 && args[2].equals("faults");
        BenchDistrict bench = new BenchDistrict(students);
        SandboxSize size = bench.district.size();
        List<String> urls = bench.freshDatabases("bench");
        System.out.printf("page size %d%s%n", pageSize, faults ? ", with injected faults" : "");
        System.out.printf("district: %d schools, %d students, %d teachers, %d staff, %d sections (~%d students each), heap max %d MB%n",
                BenchDistrict.SCHOOLS, students, size.teachers(), size.staff(), size.sections(), size.studentsPerSection(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024));

        try (SandboxProcess sandbox = SandboxProcess.start(students)) {
            String[] appArgs = BenchDistrict.arguments(bench.properties(sandbox.baseUrl(), pageSize, urls));
            try (ConfigurableApplicationContext app = new SpringApplicationBuilder(CleverSyncApplication.class).run(appArgs)) {
                ProducerTemplate producer = app.getBean(ProducerTemplate.class);
                if (faults) {
                    sandbox.faults(true); // 10 % of requests answer 500/503; every 40th starts a burst of two 429s
                }
                BenchDistrict.Measured<DistrictRun> first = BenchDistrict.measure(() -> sync(producer));
                if (faults) {
                    String[] counts = sandbox.faults(false).split(" ");
                    System.out.printf("injected faults: %s (%s answered 429) of %s requests%n", counts[0], counts[1], counts[2]);
                }
                report("full sync (empty databases)", first);
                BenchDistrict.Measured<DistrictRun> second = BenchDistrict.measure(() -> sync(producer));
                report("second full sync (nothing changed)", second);

                long rows = 0;
                long plainNanos = 0;
                for (String url : urls) {
                    long[] r = plainInsert(url);
                    rows += r[0];
                    plainNanos += r[1];
                }
                double plainSeconds = plainNanos / 1e9;
                double ceiling = first.result().read() / plainSeconds;
                long copyNanos = 0;
                for (String url : urls) {
                    copyNanos += copyIn(url);
                }
                double copyCeiling = first.result().read() / (copyNanos / 1e9);
                // what serving and reading the pages alone costs on this machine: no sync is faster
                long readNanos = readEveryPage(sandbox.baseUrl(), pageSize);
                double readCeiling = first.result().read() / (readNanos / 1e9);
                // the ceilings run in a warm JVM: so does a last full sync into the emptied databases
                for (String url : urls) {
                    empty(url);
                }
                BenchDistrict.Measured<DistrictRun> warm = BenchDistrict.measure(() -> sync(producer));
                report("full sync in the warm JVM (emptied databases)", warm);
                double rate = first.result().read() / first.seconds();
                double warmRate = warm.result().read() / warm.seconds();
                System.out.printf("plain JDBC batch insert of the same %,d rows into the same databases: %.1f s"
                        + " = %,.0f Clever records/s (ceiling)%n", rows, plainSeconds, ceiling);
                System.out.printf("PostgreSQL COPY of the same %,d rows alone: %.1f s = %,.0f Clever records/s (physical limit)%n",
                        rows, copyNanos / 1e9, copyCeiling);
                System.out.printf("reading every page alone (the sandbox serving it, HTTP, validating and parsing"
                        + " its records): %.1f s = %,.0f Clever records/s%n", readNanos / 1e9, readCeiling);
                System.out.printf("RESULT students=%d records=%d seconds=%.1f records_per_s=%.0f peak_heap_mb=%d"
                                + " ceiling_records_per_s=%.0f ratio=%.2f unchanged_run_seconds=%.1f"
                                + " copy_ceiling_records_per_s=%.0f warm_seconds=%.1f warm_records_per_s=%.0f"
                                + " warm_ratio=%.2f read_only_records_per_s=%.0f%n",
                        students, first.result().read(), first.seconds(), rate, first.peakHeapMb(), ceiling, rate / ceiling,
                        second.seconds(), copyCeiling, warm.seconds(), warmRate, warmRate / ceiling, readCeiling);
            }
        }
    }

    private static DistrictRun sync(ProducerTemplate producer) {
        DistrictRun run = producer.requestBodyAndHeaders("direct:sync-district", null,
                Map.of(DistrictRuns.DISTRICT, BenchDistrict.KEY, DistrictRuns.TRIGGER, "benchmark"), DistrictRun.class);
        for (SchoolRun s : run.schools()) {
            if (s.status() != SchoolRun.Status.SUCCEEDED) {
                throw new IllegalStateException("school " + s.school().key() + " " + s.status() + ": " + s.errorSummary());
            }
        }
        return run;
    }

    private static void report(String what, BenchDistrict.Measured<DistrictRun> m) {
        DistrictRun run = m.result();
        long written = run.schools().stream().mapToLong(SchoolRun::written).sum();
        long unchanged = run.schools().stream().mapToLong(SchoolRun::unchanged).sum();
        System.out.printf("%s: %,d Clever records in %.1f s = %,.0f records/s; %,d rows written, %,d unchanged;"
                        + " peak heap used %d MB%n",
                what, run.read(), m.seconds(), run.read() / m.seconds(), written, unchanged, m.peakHeapMb());
    }

    /** Reads every list's pages as a sync does (parsed, every record iterated) and writes nothing; returns the time. */
    private static long readEveryPage(String baseUrl, int pageSize) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long start = System.nanoTime();
        for (CleverResource list : CleverResource.LISTS) {
            String next = list.pageAfter(pageSize, null);
            while (next != null) {
                HttpResponse<java.io.InputStream> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + next))
                        .header("Authorization", "Bearer " + BenchDistrict.TOKEN).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                CleverPage<String> page = CleverPage.parse(list, next, response.body(), CleverRecord::id);
                next = page.next();
            }
        }
        return System.nanoTime() - start;
    }

    /** Empties the school's tables and its sync state, so that the next sync starts from nothing. */
    private static void empty(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, TestDatabases.POSTGRES_USER, "");
             Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + String.join(", ", TABLES) + ", sync_seen, sync_checkpoints, sync_state");
        }
    }

    /** Reads every table back, empties it and times re-inserting the rows with plain JDBC batches. */
    private static long[] plainInsert(String url) throws SQLException {
        Properties props = new Properties();
        props.put("user", TestDatabases.POSTGRES_USER);
        props.put("reWriteBatchedInserts", "true");
        long rows = 0;
        long nanos = 0;
        try (Connection c = DriverManager.getConnection(url, props)) {
            for (String table : TABLES) {
                List<Object[]> data = new ArrayList<>();
                List<String> columns = new ArrayList<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData md = rs.getMetaData();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        columns.add(md.getColumnName(i));
                    }
                    while (rs.next()) {
                        Object[] row = new Object[columns.size()];
                        for (int i = 0; i < row.length; i++) {
                            row[i] = rs.getObject(i + 1);
                        }
                        data.add(row);
                    }
                }
                try (Statement s = c.createStatement()) {
                    s.execute("TRUNCATE " + table);
                }
                String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                        + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
                c.setAutoCommit(false);
                long start = System.nanoTime();
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int inBatch = 0;
                    for (Object[] row : data) {
                        for (int i = 0; i < row.length; i++) {
                            ps.setObject(i + 1, row[i]);
                        }
                        ps.addBatch();
                        if (++inBatch == 500) {
                            ps.executeBatch();
                            c.commit();
                            inBatch = 0;
                        }
                    }
                    ps.executeBatch();
                    c.commit();
                }
                nanos += System.nanoTime() - start;
                c.setAutoCommit(true);
                rows += data.size();
            }
        }
        return new long[] {rows, nanos};
    }

    /**
     * Copies every table out in PostgreSQL's own text format, empties it and times loading the same
     * rows back with {@code COPY … FROM STDIN} alone: the physical limit of this machine.
     */
    private static long copyIn(String url) throws SQLException {
        long nanos = 0;
        try (Connection c = DriverManager.getConnection(url, TestDatabases.POSTGRES_USER, "")) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            for (String table : TABLES) {
                ByteArrayOutputStream rows = new ByteArrayOutputStream();
                try (Statement s = c.createStatement()) {
                    copy.copyOut("COPY " + table + " TO STDOUT", rows);
                    s.execute("TRUNCATE " + table);
                    long start = System.nanoTime();
                    copy.copyIn("COPY " + table + " FROM STDIN", new ByteArrayInputStream(rows.toByteArray()));
                    nanos += System.nanoTime() - start;
                } catch (IOException e) {
                    throw new SQLException("COPY of " + table + " failed", e);
                }
            }
        }
        return nanos;
    }

    private FullSyncBenchmark() {}
}

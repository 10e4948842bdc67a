package com.cleversync.bench;

import com.cleversync.CleverSyncApplication;
import com.cleversync.clever.CleverPage;
import com.cleversync.clever.CleverRecord;
import com.cleversync.clever.CleverResource;
import com.cleversync.sandbox.SandboxSize;
import com.cleversync.sync.DistrictRun;
import com.cleversync.sync.SchoolRun;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.apache.camel.ProducerTemplate;
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

        try (SandboxProcess sandbox = SandboxProcess.start(students, pageSize)) {
            String[] appArgs = BenchDistrict.arguments(bench.properties(sandbox.baseUrl(), pageSize, urls));
            try (ConfigurableApplicationContext app = new SpringApplicationBuilder(CleverSyncApplication.class).run(appArgs)) {
                ProducerTemplate producer = app.getBean(ProducerTemplate.class);
                if (faults) {
                    sandbox.faults(true); // 10 % of requests answer 500/503; every 40th starts a burst of two 429s
                }
                BenchDistrict.Measured<DistrictRun> first = BenchDistrict.measure(() -> BenchDistrict.sync(producer, "full"));
                if (faults) {
                    String[] counts = sandbox.faults(false).split(" ");
                    System.out.printf("injected faults: %s (%s answered 429) of %s requests%n", counts[0], counts[1], counts[2]);
                }
                report("full sync (empty databases)", first);
                BenchDistrict.Measured<DistrictRun> second = BenchDistrict.measure(() -> BenchDistrict.sync(producer, "full"));
                report("second full sync (nothing changed)", second);

                Ceilings.Timed plain = Ceilings.plainInsert(urls);
                long rows = plain.rows();
                double plainSeconds = plain.seconds();
                double ceiling = first.result().read() / plainSeconds;
                Ceilings.Timed copy = Ceilings.copyIn(urls);
                long copyNanos = copy.nanos();
                double copyCeiling = first.result().read() / (copyNanos / 1e9);
                // what serving and reading the pages alone costs on this machine: no sync is faster
                long readNanos = readEveryPage(sandbox.baseUrl(), pageSize);
                double readCeiling = first.result().read() / (readNanos / 1e9);
                // the ceilings run in a warm JVM: so does a last full sync into the emptied databases
                for (String url : urls) {
                    Ceilings.empty(url);
                }
                BenchDistrict.Measured<DistrictRun> warm = BenchDistrict.measure(() -> BenchDistrict.sync(producer, "full"));
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

    private FullSyncBenchmark() {}
}

package com.cleversync.bench;

import com.cleversync.CleverSyncApplication;
import com.cleversync.oneroster.OneRosterApi;
import com.cleversync.oneroster.OneRosterCollection;
import com.cleversync.oneroster.OneRosterPage;
import com.cleversync.oneroster.OneRosterRecord;
import com.cleversync.sandbox.SandboxSize;
import com.cleversync.sandbox.oneroster.OneRosterSandbox;
import com.cleversync.sync.DistrictRun;
import com.cleversync.sync.SchoolRun;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.apache.camel.ProducerTemplate;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@link FullSyncBenchmark} for a OneRoster district: the same generated district (default 100,000
 * students, 20 schools, all configured; {@link BenchDistrict}) served by the OneRoster 1.2 simulator
 * in a JVM of its own ({@link SandboxProcess#startOneRoster}), synced in full by offset pages
 * (default 1,000 records, what OneRoster providers commonly cap at) into 20 fresh PostgreSQL
 * databases; then a second full sync with nothing changed, an incremental sync with nothing changed
 * (the {@code dateLastModified} deltas), the plain-JDBC and COPY ceilings on the rows the sync wrote
 * ({@link Ceilings}), every page read and parsed alone, and last a full sync into the emptied
 * databases in the now warm JVM. Records are counted as the Clever benchmark counts them: every
 * record read from the provider ({@link DistrictRun#read()}).
 *
 * <p>Run with {@code bench/oneroster.sh [students] [page-size]}; the last line is machine-readable,
 * with {@link FullSyncBenchmark}'s keys.
 */
public final class OneRosterBenchmark {

    public static void main(String[] args) throws Exception {
        int students = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int pageSize = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        BenchDistrict bench = new BenchDistrict(students);
        SandboxSize size = bench.district.size();
        List<String> urls = bench.freshDatabases("orbench");
        System.out.printf("OneRoster 1.2, page size %d (the simulator's maximum too)%n", pageSize);
        System.out.printf("district: %d schools, %d students, %d teachers, %d staff, %d sections (~%d students each), heap max %d MB%n",
                BenchDistrict.SCHOOLS, students, size.teachers(), size.staff(), size.sections(), size.studentsPerSection(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024));

        try (SandboxProcess sandbox = SandboxProcess.startOneRoster(students, pageSize)) {
            String[] appArgs = BenchDistrict.arguments(
                    bench.oneRosterProperties(sandbox.baseUrl(), sandbox.tokenUrl(), pageSize, urls));
            try (ConfigurableApplicationContext app = new SpringApplicationBuilder(CleverSyncApplication.class).run(appArgs)) {
                ProducerTemplate producer = app.getBean(ProducerTemplate.class);
                BenchDistrict.Measured<DistrictRun> first = BenchDistrict.measure(() -> BenchDistrict.sync(producer, "full"));
                report("full sync (empty databases)", first);
                BenchDistrict.Measured<DistrictRun> second = BenchDistrict.measure(() -> BenchDistrict.sync(producer, "full"));
                report("second full sync (nothing changed)", second);
                BenchDistrict.Measured<DistrictRun> delta = BenchDistrict.measure(() -> BenchDistrict.sync(producer, "incremental"));
                report("incremental sync (nothing changed)", delta);

                Ceilings.Timed plain = Ceilings.plainInsert(urls);
                double ceiling = first.result().read() / plain.seconds();
                Ceilings.Timed copy = Ceilings.copyIn(urls);
                double copyCeiling = first.result().read() / copy.seconds();
                // what serving and reading the pages alone costs on this machine: no sync is faster
                long readNanos = readEveryPage(sandbox, pageSize);
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
                        + " = %,.0f OneRoster records/s (ceiling)%n", plain.rows(), plain.seconds(), ceiling);
                System.out.printf("PostgreSQL COPY of the same %,d rows alone: %.1f s = %,.0f OneRoster records/s (physical limit)%n",
                        plain.rows(), copy.seconds(), copyCeiling);
                System.out.printf("reading every page alone (the simulator serving it, HTTP, checking and parsing"
                        + " its records): %.1f s = %,.0f OneRoster records/s%n", readNanos / 1e9, readCeiling);
                System.out.printf("RESULT students=%d records=%d seconds=%.1f records_per_s=%.0f peak_heap_mb=%d"
                                + " ceiling_records_per_s=%.0f ratio=%.2f unchanged_run_seconds=%.1f"
                                + " copy_ceiling_records_per_s=%.0f warm_seconds=%.1f warm_records_per_s=%.0f"
                                + " warm_ratio=%.2f read_only_records_per_s=%.0f page_size=%d"
                                + " unchanged_incremental_seconds=%.1f%n",
                        students, first.result().read(), first.seconds(), rate, first.peakHeapMb(), ceiling, rate / ceiling,
                        second.seconds(), copyCeiling, warm.seconds(), warmRate, warmRate / ceiling, readCeiling,
                        pageSize, delta.seconds());
            }
        }
    }


    private static void report(String what, BenchDistrict.Measured<DistrictRun> m) {
        DistrictRun run = m.result();
        long written = run.schools().stream().mapToLong(SchoolRun::written).sum();
        long unchanged = run.schools().stream().mapToLong(SchoolRun::unchanged).sum();
        System.out.printf("%s: %,d OneRoster records in %.1f s = %,.0f records/s; %,d rows written, %,d unchanged;"
                        + " peak heap used %d MB%s%n",
                what, run.read(), m.seconds(), run.read() / m.seconds(), written, unchanged, m.peakHeapMb(),
                run.incremental() ? " (incremental)" : "");
    }

    /**
     * Reads every collection's pages by limit and offset as a full sync does (each page checked to its end and
     * parsed, every record's sourcedId read) and writes nothing; returns the time, the token's included.
     */
    private static long readEveryPage(SandboxProcess sandbox, int pageSize) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long start = System.nanoTime();
        String token = token(http, sandbox.tokenUrl());
        String root = sandbox.baseUrl() + OneRosterApi.standardPath(OneRosterSandbox.Settings.V1_2);
        for (OneRosterCollection collection : OneRosterCollection.LISTS) {
            int offset = 0;
            while (true) {
                HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(root + "/"
                                + collection.path() + "?limit=" + pageSize + "&offset=" + offset))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    throw new IOException(collection.path() + " at offset " + offset + " answered " + response.statusCode());
                }
                OneRosterPage<String> page = OneRosterPage.parse(collection, response.body(), OneRosterRecord::sourcedId);
                offset += page.size();
                if (page.size() < pageSize) {
                    break;
                }
            }
        }
        return System.nanoTime() - start;
    }

    private static String token(HttpClient http, String tokenUrl) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((BenchDistrict.ONEROSTER_CLIENT_ID + ":"
                + BenchDistrict.ONEROSTER_CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(tokenUrl))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("the token endpoint answered " + response.statusCode());
        }
        return new ObjectMapper().readTree(response.body()).get("access_token").asText();
    }

    private OneRosterBenchmark() {}
}

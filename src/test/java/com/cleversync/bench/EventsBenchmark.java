package com.cleversync.bench;

import com.cleversync.CleverSyncApplication;
import com.cleversync.SchoolDb;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sync.DistrictRun;
import com.cleversync.sync.SchoolRun;
import java.util.List;
import org.apache.camel.ProducerTemplate;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Incremental sync: a generated district (default 20,000 students, 20 schools, all configured),
 * served by the sandbox in a JVM of its own ({@link SandboxProcess}), is synced in full into 20
 * fresh PostgreSQL databases; then {@code events} changes are made in the
 * sandbox (80 % updated students, 10 % deleted, 10 % created, spread over every school) and one
 * incremental run applies the events feed. Prints events/s, time and peak heap, and checks that
 * every school's active students equal the sandbox's.
 * Run with {@code bench/events.sh [events] [students]}.
 */
public final class EventsBenchmark {

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int students = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        BenchDistrict bench = new BenchDistrict(students);
        List<String> urls = bench.freshDatabases("events");
        System.out.printf("district: %d schools, %d students; %d events; heap max %d MB%n", BenchDistrict.SCHOOLS,
                students, events, Runtime.getRuntime().maxMemory() / (1024 * 1024));
        int pageSize = Integer.getInteger("pageSize", 10_000);
        try (SandboxProcess sandbox = SandboxProcess.start(students, pageSize)) {
            String[] appArgs = BenchDistrict.arguments(bench.properties(sandbox.baseUrl(), pageSize, urls));
            try (ConfigurableApplicationContext app = new SpringApplicationBuilder(CleverSyncApplication.class).run(appArgs)) {
                ProducerTemplate producer = app.getBean(ProducerTemplate.class);
                BenchDistrict.Measured<DistrictRun> full = BenchDistrict.measure(() -> BenchDistrict.sync(producer, "full"));
                System.out.printf("full sync: %,d records in %.1f s%n", full.result().read(), full.seconds());

                sandbox.change(events);
                BenchDistrict.Measured<DistrictRun> incremental = BenchDistrict.measure(() -> BenchDistrict.sync(producer, "incremental"));
                DistrictRun run = incremental.result();
                if (!run.incremental()) {
                    throw new IllegalStateException("expected an incremental run, got a full one: " + run.fullSyncReason());
                }
                long written = run.schools().stream().mapToLong(SchoolRun::written).sum();
                long archived = run.schools().stream().mapToLong(SchoolRun::archived).sum();
                bench.change(events); // the same changes, to know what the schools must now hold
                verifyActiveStudents(bench, urls);
                double rate = events / incremental.seconds();
                System.out.printf("incremental sync: %,d events in %.2f s = %,.0f events/s; %,d rows written, %,d archived;"
                        + " peak heap used %d MB%n", events, incremental.seconds(), rate, written, archived,
                        incremental.peakHeapMb());
                System.out.printf("RESULT events=%d students=%d seconds=%.2f events_per_s=%.0f peak_heap_mb=%d%n",
                        events, students, incremental.seconds(), rate, incremental.peakHeapMb());
            }
        }
    }

    /** Every school's active students are exactly as many as the sandbox lists for it. */
    private static void verifyActiveStudents(BenchDistrict bench, List<String> urls) {
        for (int i = 0; i < BenchDistrict.SCHOOLS; i++) {
            String school = bench.schoolIds.get(i);
            long expected = bench.district.records(SandboxResource.STUDENTS).filter(s -> {
                List<String> schools = new java.util.ArrayList<>();
                s.at("/roles/student/schools").forEach(n -> schools.add(n.asText()));
                return schools.isEmpty() ? school.equals(s.at("/roles/student/school").asText()) : schools.contains(school);
            }).count();
            long actual = SchoolDb.postgres(urls.get(i)).count("SELECT COUNT(*) FROM students WHERE deleted_at IS NULL");
            if (actual != expected) {
                throw new IllegalStateException("school s" + i + ": " + actual + " active students, the sandbox lists " + expected);
            }
        }
    }


    private EventsBenchmark() {}
}

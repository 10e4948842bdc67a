package com.cleversync.bench;

import com.cleversync.ChildSync;
import com.cleversync.CleverSyncApplication;
import com.cleversync.SchoolDb;
import com.cleversync.sync.DistrictRun;
import com.cleversync.sync.SchoolRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.ProducerTemplate;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The attendance backfill: a school year of about 1M records (7 schools, 7 periods, default 10,500
 * students; {@link AttendanceBench}) served by the Aeries simulator in a JVM of its own
 * ({@link SandboxProcess#startAeries}), backfilled in weekly chunks into 7 fresh PostgreSQL databases by
 * this JVM (run it with {@code -Xmx256m}: {@code bench/attendance.sh}), after the district's roster (which
 * the students are matched to; not timed); then a second attendance run (the correction window only).
 * Last, into 7 other fresh databases, a run-once child JVM (-Xmx256m) is killed (SIGKILL) once half of the
 * year is committed, and a new child resumes: printed are the time from its launch until its attendance run
 * starts, and how long that run takes to finish what was left.
 *
 * <p>The client-side limit is set far above the sync's pace: at Aeries' default of 60 requests/min the
 * year's weekly chunks and each school's codes alone take about 4.4 minutes (printed beside the results).
 */
public final class AttendanceBenchmark {
    private static final Pattern STARTED = Pattern.compile("^(\\S+)\\s+INFO .*attendance sync \\(aeries\\) started",
            Pattern.MULTILINE);
    private static final Pattern READ = Pattern.compile("attendance sync \\(run-once\\) finished in [0-9.]+ s: ([0-9]+) records read");

    public static void main(String[] args) throws Exception {
        int students = args.length > 0 ? Integer.parseInt(args[0]) : 10_500;
        int requestsPerMinute = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        System.out.printf("attendance from Aeries: %d schools × 7 periods, %d students, a 36-week school year,"
                        + " weekly chunks, client limit %d requests/min, heap max %d MB%n", AttendanceBench.SCHOOLS,
                students, requestsPerMinute, Runtime.getRuntime().maxMemory() / (1024 * 1024));
        try (SandboxProcess sandbox = SandboxProcess.startAeries(students)) {
            List<String> urls = freshDatabases("attbench");
            BenchDistrict.Measured<DistrictRun> backfill;
            BenchDistrict.Measured<DistrictRun> window;
            long backfillRequests;
            String[] appArgs = BenchDistrict.arguments(AttendanceBench.properties(sandbox, urls, requestsPerMinute));
            try (ConfigurableApplicationContext app = new SpringApplicationBuilder(CleverSyncApplication.class).run(appArgs)) {
                ProducerTemplate producer = app.getBean(ProducerTemplate.class);
                BenchDistrict.Measured<DistrictRun> roster = BenchDistrict.measure(() -> BenchDistrict.sync(producer, "full"));
                System.out.printf("roster full sync (not timed in the result): %,d records in %.1f s%n",
                        roster.result().read(), roster.seconds());
                long requestsBefore = requests(sandbox);
                backfill = BenchDistrict.measure(() -> BenchDistrict.sync(producer, "attendance"));
                backfillRequests = requests(sandbox) - requestsBefore;
                report("attendance backfill (empty tables)", backfill);
                window = BenchDistrict.measure(() -> BenchDistrict.sync(producer, "attendance"));
                report("attendance again (the correction window)", window);
            }
            long records = backfill.result().read();
            double rate = records / backfill.seconds();
            System.out.printf("at Aeries' default limit of 60 requests/min, the backfill's %d requests alone take %.1f min%n",
                    backfillRequests, backfillRequests / 60.0);

            // resume: a child killed with half of the year committed, then a new child
            List<String> crashed = freshDatabases("attresume");
            Map<String, String> properties = AttendanceBench.properties(sandbox, crashed, requestsPerMinute);
            long killedWith;
            try (ChildSync child = ChildSync.start(properties, "256m")) {
                child.awaitWhileRunning(() -> committed(crashed) * 2 >= records, Duration.ofMinutes(20));
                child.kill();
                killedWith = committed(crashed);
            }
            System.out.printf("child killed (SIGKILL) with %,d of %,d records committed (%.0f %%)%n",
                    killedWith, records, killedWith * 100.0 / records);
            Instant launched = Instant.now();
            double resumeSeconds;
            double resumedRunSeconds;
            long resumedRead;
            try (ChildSync child = ChildSync.start(properties, "256m")) {
                int exit = child.awaitExit(Duration.ofMinutes(20));
                String output = child.output();
                if (exit != 0) {
                    throw new IllegalStateException("the resuming child exited with " + exit + ":\n" + output);
                }
                Matcher started = STARTED.matcher(output);
                Matcher read = READ.matcher(output);
                if (!started.find() || !read.find()) {
                    throw new IllegalStateException("no attendance run in the resuming child's output:\n" + output);
                }
                resumeSeconds = Duration.between(launched, Instant.parse(started.group(1))).toMillis() / 1000.0;
                resumedRunSeconds = child.reportedSeconds();
                resumedRead = Long.parseLong(read.group(1));
            }
            long total = count(crashed, "SELECT COUNT(*) FROM attendance WHERE deleted_at IS NULL");
            if (total != records) {
                throw new IllegalStateException("the resumed backfill holds " + total + " records, the fresh one " + records);
            }
            System.out.printf("new child: its attendance run started %.1f s after launch (JVM start, roster run) and"
                    + " finished in %.1f s, reading %,d records (the rest was committed)%n",
                    resumeSeconds, resumedRunSeconds, resumedRead);
            System.out.printf("RESULT students=%d records=%d seconds=%.1f records_per_s=%.0f peak_heap_mb=%d"
                            + " window_run_seconds=%.1f killed_at_percent=%.0f resume_seconds=%.1f"
                            + " resumed_run_seconds=%.1f resumed_read=%d requests=%d%n",
                    students, records, backfill.seconds(), rate, backfill.peakHeapMb(), window.seconds(),
                    killedWith * 100.0 / records, resumeSeconds, resumedRunSeconds, resumedRead, backfillRequests);
        }
    }

    private static List<String> freshDatabases(String prefix) {
        List<String> urls = new java.util.ArrayList<>();
        for (int i = 0; i < AttendanceBench.SCHOOLS; i++) {
            urls.add(com.cleversync.TestDatabases.postgres(prefix + i));
        }
        return urls;
    }


    private static void report(String what, BenchDistrict.Measured<DistrictRun> m) {
        DistrictRun run = m.result();
        long written = run.schools().stream().mapToLong(SchoolRun::written).sum();
        long unchanged = run.schools().stream().mapToLong(SchoolRun::unchanged).sum();
        System.out.printf("%s: %,d records in %.1f s = %,.0f records/s; %,d written, %,d unchanged; peak heap used %d MB%n",
                what, run.read(), m.seconds(), run.read() / m.seconds(), written, unchanged, m.peakHeapMb());
    }

    /** Requests the Aeries simulator has served so far. */
    private static long requests(SandboxProcess sandbox) throws java.io.IOException {
        String[] counts = sandbox.faults(false).split(" "); // injected, rate-limited, requests
        return Long.parseLong(counts[2]);
    }

    /** Attendance rows the schools hold (a killed child's committed chunks). */
    private static long committed(List<String> urls) {
        try {
            return count(urls, "SELECT COUNT(*) FROM attendance");
        } catch (IllegalStateException notMigratedYet) {
            return 0;
        }
    }

    private static long count(List<String> urls, String sql) {
        long sum = 0;
        for (String url : urls) {
            sum += SchoolDb.postgres(url).count(sql);
        }
        return sum;
    }

    private AttendanceBenchmark() {}
}

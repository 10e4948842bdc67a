package com.cleversync.bench;

import com.cleversync.ChildSync;
import com.cleversync.SchoolDb;
import com.cleversync.sandbox.CleverSandbox;
import java.time.Duration;
import java.util.List;

/**
 * Resume after a crash: a generated district (default 100,000 students, 20 schools) is synced in
 * full by a run-once child JVM (-Xmx256m) into 20 fresh PostgreSQL databases and timed; then, into
 * 20 other fresh databases, a child is killed (SIGKILL) once the schools' checkpoints hold about
 * half of the records, and a new child resumes. Prints the fresh and the resumed sync's own times
 * (from their summary lines, without JVM start-up) and the share the killed run had committed.
 * Run with {@code bench/resume.sh [students] [kill-at-percent]}.
 */
public final class ResumeBenchmark {

    public static void main(String[] args) throws Exception {
        int students = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int killAt = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        BenchDistrict bench = new BenchDistrict(students);
        System.out.printf("district: %d schools, %d students; children run with -Xmx256m%n", BenchDistrict.SCHOOLS, students);
        try (CleverSandbox sandbox = CleverSandbox.start(bench.district, BenchDistrict.TOKEN, 0, 1200)) {
            List<String> fresh = bench.freshDatabases("resume_fresh");
            double freshSeconds;
            try (ChildSync child = ChildSync.start(bench.properties(sandbox.baseUrl(), 10_000, fresh), "256m")) {
                check(child.awaitExit(Duration.ofMinutes(20)), child);
                freshSeconds = child.reportedSeconds();
            }
            long total = sum(fresh, "SELECT records_read FROM sync_runs");
            System.out.printf("fresh full sync: %,d school records in %.1f s%n", total, freshSeconds);

            List<String> crashed = bench.freshDatabases("resume_crash");
            long started = System.nanoTime();
            try (ChildSync child = ChildSync.start(bench.properties(sandbox.baseUrl(), 10_000, crashed), "256m")) {
                child.awaitWhileRunning(() -> committed(crashed) * 100 >= total * killAt, Duration.ofMinutes(20));
                child.kill();
            }
            double killedAfter = (System.nanoTime() - started) / 1e9;
            long done = committed(crashed);
            System.out.printf("killed after %.1f s (with JVM start-up) with %,d of %,d school records committed (%.0f %%)%n",
                    killedAfter, done, total, done * 100.0 / total);

            double resumedSeconds;
            try (ChildSync child = ChildSync.start(bench.properties(sandbox.baseUrl(), 10_000, crashed), "256m")) {
                check(child.awaitExit(Duration.ofMinutes(20)), child);
                resumedSeconds = child.reportedSeconds();
            }
            long resumed = sum(crashed, "SELECT records_resumed FROM sync_runs WHERE sync_mode = 'resumed'");
            long reread = sum(crashed, "SELECT records_read FROM sync_runs WHERE sync_mode = 'resumed'");
            if (resumed + reread != total) {
                throw new IllegalStateException("the resumed run accounts for " + (resumed + reread) + " of " + total + " records");
            }
            System.out.printf("resumed full sync: %.1f s (%,d records skipped as committed, %,d read) = %.0f %% of the fresh sync's time%n",
                    resumedSeconds, resumed, reread, resumedSeconds * 100 / freshSeconds);
            System.out.printf("RESULT students=%d fresh_seconds=%.1f killed_at_percent=%.0f resumed_seconds=%.1f ratio=%.2f%n",
                    students, freshSeconds, done * 100.0 / total, resumedSeconds, resumedSeconds / freshSeconds);
        }
    }

    /** Records the schools' interrupted full syncs have committed (their checkpoints). */
    private static long committed(List<String> urls) {
        try {
            return sum(urls, "SELECT records_done FROM sync_checkpoints");
        } catch (IllegalStateException notMigratedYet) {
            return 0;
        }
    }

    private static long sum(List<String> urls, String sql) {
        long sum = 0;
        for (String url : urls) {
            for (var row : SchoolDb.postgres(url).query(sql)) {
                sum += ((Number) row.values().iterator().next()).longValue();
            }
        }
        return sum;
    }

    private static void check(int exit, ChildSync child) {
        if (exit != 0) {
            throw new IllegalStateException("the child sync exited with " + exit + ":\n" + child.output());
        }
    }

    private ResumeBenchmark() {}
}

package com.cleversync.sync;

/** The per-school table printed at the end of every run. Ids, counts and reasons only, no personal data. */
final class SyncSummary {
    private SyncSummary() {}

    static String of(DistrictRun run) {
        StringBuilder s = new StringBuilder(String.format(
                "run %s district %s %s sync (%s) finished in %.1f s: %d records read, %d skipped (not for a configured school)%n",
                run.id(), run.district().key(), run.attendance() ? "attendance" : run.incremental() ? "incremental" : "full",
                run.trigger(),
                run.elapsed().toMillis() / 1000.0, run.read(), run.skipped()));
        if (run.fullSyncReason() != null) {
            s.append("  full sync because ").append(run.fullSyncReason()).append(String.format("%n"));
        }
        s.append(String.format("  %-28s %-11s %9s %9s %9s %9s %10s %9s %9s  %s%n",
                "school", "status", "read", "written", "unchanged", "rejected", "superseded", "archived", "resumed", "error"));
        for (SchoolRun school : run.schools()) {
            s.append(String.format("  %-28s %-11s %9d %9d %9d %9d %10d %9d %9d  %s%n", school.school().key(), school.status(),
                    school.read(), school.written(), school.unchanged(), school.rejected(), school.superseded(), school.archived(),
                    school.resumedRecords(), school.errorSummary() == null ? "" : school.errorSummary()));
        }
        return s.toString().stripTrailing();
    }
}

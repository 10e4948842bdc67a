package com.cleversync.sync;

/** The per-school table printed at the end of every run. Ids, counts and reasons only, no personal data. */
final class SyncSummary {
    private SyncSummary() {}

    static String of(DistrictRun run) {
        StringBuilder s = new StringBuilder(String.format(
                "run %s district %s (%s) finished in %.1f s: %d records read, %d skipped (not for a configured school)%n",
                run.id(), run.district().key(), run.trigger(), run.elapsed().toMillis() / 1000.0, run.read(), run.skipped()));
        s.append(String.format("  %-28s %-9s %9s %9s %9s %9s  %s%n",
                "school", "status", "read", "written", "unchanged", "rejected", "error"));
        for (SchoolRun school : run.schools()) {
            s.append(String.format("  %-28s %-9s %9d %9d %9d %9d  %s%n", school.school().key(), school.status(),
                    school.read(), school.written(), school.unchanged(), school.rejected(),
                    school.errorSummary() == null ? "" : school.errorSummary()));
        }
        return s.toString().stripTrailing();
    }
}

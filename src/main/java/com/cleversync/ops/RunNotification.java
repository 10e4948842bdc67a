package com.cleversync.ops;

import com.cleversync.sync.DistrictRun;
import com.cleversync.sync.SchoolRun;

/**
 * What the webhook receives about one school's run, as JSON: ids, status, times, counts and the
 * reason {@code sync_runs} stores. No personal data and no secret: the reason is the run's error
 * summary, which describes infrastructure failures and the guard's shares, never a record.
 *
 * @param text                    the one line Microsoft Teams and Slack incoming webhooks display
 * @param mode                    {@code full}, {@code resumed} or {@code incremental}
 * @param startedAt               ISO-8601, UTC
 * @param reason                  the error summary, as in sync_runs; null for a run PARTIAL only by rejected records
 * @param massArchiveGuardTripped the guard held back this school's archiving
 */
record RunNotification(String text, String district, String school, String status, String mode, String runId,
                       String startedAt, String finishedAt, Counts counts, String reason,
                       boolean massArchiveGuardTripped) {

    /** The school's record counts of the run, as in sync_runs. */
    record Counts(long read, long written, long unchanged, long rejected, long superseded, long archived,
                  long resumed) {}

    /** Whether the school's run needs an operator's attention: it ended FAILED or PARTIAL, or tripped the guard. */
    static boolean isDue(SchoolRun school) {
        return school.status() == SchoolRun.Status.FAILED || school.status() == SchoolRun.Status.PARTIAL
                || school.massArchiveGuardTripped();
    }

    static RunNotification of(DistrictRun run, SchoolRun school) {
        String district = run.district().key();
        String key = school.school().key();
        String reason = school.errorSummary();
        String why = reason != null ? reason : school.rejected() + " records rejected (quarantined)";
        String text = "CleverSync: " + district + "/" + key + " " + school.status() + " (" + school.mode() + " run "
                + run.id() + "): " + why;
        return new RunNotification(text, district, key, school.status().name(), school.mode(), run.id(),
                run.startedAt().toString(), run.finishedAt().toString(),
                new Counts(school.read(), school.written(), school.unchanged(), school.rejected(), school.superseded(),
                        school.archived(), school.resumedRecords()),
                reason, school.massArchiveGuardTripped());
    }
}

package com.cleversync.school;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.TestDatabases;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A school's {@code sync_runs}: a run's start closes as INTERRUPTED the rows its district left
 * RUNNING when a process ended mid-run, but only those of its own kind. A district's attendance
 * runs beside its roster runs (a lease each), so the start of one must not mark the other, still
 * running, as interrupted. The rows still RUNNING are found by an index, not by reading the history.
 */
class RunHistoryTest {
    abstract static class Scenarios extends MigratedSchoolDatabase {
        Scenarios(Dialect dialect, String url) {
            super(dialect, url);
        }

        @Test
        void aRunsStartInterruptsOnlyTheUnfinishedRunsOfItsOwnKind() throws SQLException {
            database.recordRunStart("crashed-roster", "d", "north", "schedule", "pod-a", false);
            database.recordRunStart("crashed-attendance", "d", "north", "schedule", "pod-a", true);
            database.recordRunStart("other-district", "e", "north", "schedule", "pod-a", false);

            // a new process: the roster run starts, then the district's attendance run beside it
            database.recordRunStart("roster", "d", "north", "schedule", "pod-b", false);
            database.recordRunStart("attendance", "d", "north", "schedule", "pod-b", true);

            assertThat(statuses()).containsExactly(
                    List.of("attendance", "RUNNING"),
                    List.of("crashed-attendance", "INTERRUPTED"),
                    List.of("crashed-roster", "INTERRUPTED"),
                    List.of("other-district", "RUNNING"),
                    List.of("roster", "RUNNING"));
        }

        @Test
        void theRunsStillRunningAreFoundByAnIndex() {
            assertThat(indexes("sync_runs")).contains("ix_sync_runs_running");
        }

        private List<List<String>> statuses() {
            return rows("SELECT run_id, status FROM sync_runs ORDER BY run_id");
        }
    }

    @Nested
    class OnH2 extends Scenarios {
        OnH2() {
            super(Dialect.H2, TestDatabases.h2("run-history"));
        }
    }

    @Nested
    class OnPostgres extends Scenarios {
        OnPostgres() {
            super(Dialect.POSTGRESQL, TestDatabases.postgres("run_history"));
        }
    }
}

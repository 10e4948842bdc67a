package com.cleversync.sync;

import com.cleversync.aeries.AeriesApi;
import com.cleversync.clever.CleverToken;
import com.cleversync.source.Secret;
import java.time.LocalDate;

/**
 * A district's attendance sync, configured and validated.
 *
 * @param schedule         Quartz cron, in the district's time zone
 * @param schoolYearStart  where the first run's backfill starts
 * @param correctionWindow days back a school may still correct attendance (read again and archived
 *                         from on every run; older days are never touched)
 * @param chunk            days read (and committed per school) at a time
 */
public record SyncAttendance(Source source, String schedule, LocalDate schoolYearStart, int correctionWindow,
                             int chunk) {

    /** Where attendance comes from: its name is {@code attendance.source} in each row. */
    public sealed interface Source {
        String name();

        /** Clever's v3.1 attendance, read with the district's token through its rate limit and breaker. */
        record Clever(CleverToken token) implements Source {
            @Override
            public String name() {
                return "clever";
            }
        }

        /** The district's Aeries API v5, with the {@code AERIES-CERT} certificate (read again on 401). */
        record Aeries(AeriesApi api, Secret certificate) implements Source {
            @Override
            public String name() {
                return "aeries";
            }
        }
    }

    /** Route id of the district's attendance schedule, e.g. {@code attendance-springfield}. */
    static String routeId(String district) {
        return "attendance-" + district;
    }
}

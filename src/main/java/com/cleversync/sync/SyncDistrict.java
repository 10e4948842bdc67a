package com.cleversync.sync;

import com.cleversync.clever.CleverResource;
import com.cleversync.clever.CleverToken;
import java.util.List;

/**
 * A configured district, placeholders resolved and validated.
 *
 * @param key     the operator's key, e.g. {@code springfield}
 * @param token          the Clever bearer token (re-read on 401; never logged)
 * @param eventsSchedule Quartz cron of the incremental sync, or null
 * @param schools the schools with a database, in configuration order
 */
public record SyncDistrict(String key, CleverToken token, String schedule, String eventsSchedule, String timeZone,
                           boolean syncOnStartup, List<SyncSchool> schools) {

    /** Route id of the district's schedule, e.g. {@code district-springfield}. */
    public String routeId() {
        return "district-" + key;
    }

    /** Route id of the district's incremental schedule, e.g. {@code events-springfield}. */
    public String eventsRouteId() {
        return "events-" + key;
    }

    /** The lists a full sync reads, in sync order (a resumed full sync's checkpoint relies on it). */
    public List<String> lists() {
        return CleverResource.listLabels();
    }

}

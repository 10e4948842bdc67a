package com.cleversync.sync;

import java.util.List;

/**
 * A configured district, placeholders resolved and validated.
 *
 * @param key     the operator's key, e.g. {@code springfield}
 * @param source         where the roster comes from (Clever or a OneRoster provider), with its credentials
 * @param eventsSchedule Quartz cron of the incremental sync, or null
 * @param schools the schools with a database, in configuration order
 * @param attendance     the district's attendance sync, or null
 */
public record SyncDistrict(String key, DistrictSource source, String schedule, String eventsSchedule, String timeZone,
                           boolean syncOnStartup, List<SyncSchool> schools, SyncAttendance attendance) {

    public SyncDistrict(String key, DistrictSource source, String schedule, String eventsSchedule, String timeZone,
                        boolean syncOnStartup, List<SyncSchool> schools) {
        this(key, source, schedule, eventsSchedule, timeZone, syncOnStartup, schools, null);
    }

    /** Route id of the district's schedule, e.g. {@code district-springfield}. */
    public String routeId() {
        return "district-" + key;
    }

    /** Route id of the district's incremental schedule, e.g. {@code events-springfield}. */
    public String eventsRouteId() {
        return "events-" + key;
    }

    /** The id of the district's circuit breaker, e.g. {@code clever-breaker-springfield} (operators see it in JMX). */
    public String breakerId() {
        return source.name() + "-breaker-" + key;
    }

    /** The lists a full sync reads, in sync order (a resumed full sync's checkpoint relies on it). */
    public List<String> lists() {
        return source.lists();
    }

}

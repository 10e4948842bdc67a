package com.cleversync.sync;

import com.cleversync.school.SchoolDatabase;

/**
 * A configured school, placeholders resolved.
 *
 * @param district the district's key
 * @param key      the operator's key for the school, e.g. {@code lincoln-high}
 * @param sourceId the school's id at the district's source (its Clever id, its OneRoster org sourcedId)
 */
public record SyncSchool(String district, String key, String sourceId, SchoolDatabase database) {

    /** Route id and direct endpoint of the school's writer route, e.g. {@code school-springfield-lincoln-high}. */
    public String routeId() {
        return "school-" + district + "-" + key;
    }
}

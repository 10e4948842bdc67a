package com.cleversync.sync;

import com.cleversync.school.SchoolDatabase;

/**
 * A configured school, placeholders resolved.
 *
 * @param district the district's key
 * @param key      the operator's key for the school, e.g. {@code lincoln-high}
 * @param sourceId the school's id at the district's source (its Clever id, its OneRoster org sourcedId)
 * @param aeriesSchoolCode the school's Aeries {@code SchoolCode}, for a district whose attendance is Aeries'; else null
 */
public record SyncSchool(String district, String key, String sourceId, SchoolDatabase database,
                         Integer aeriesSchoolCode) {

    public SyncSchool(String district, String key, String sourceId, SchoolDatabase database) {
        this(district, key, sourceId, database, null);
    }

    /** Route id and direct endpoint of the school's writer route, e.g. {@code school-springfield-lincoln-high}. */
    public String routeId() {
        return "school-" + district + "-" + key;
    }
}

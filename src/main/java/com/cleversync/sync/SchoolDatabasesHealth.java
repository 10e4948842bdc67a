package com.cleversync.sync;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/schoolDatabases}: DOWN while any school's database failed its last use
 * (at startup or in a run), with each school's state. It is not part of the liveness and
 * readiness groups: one school's outage must not restart or unready the whole service.
 */
@Component("schoolDatabases")
class SchoolDatabasesHealth implements HealthIndicator {
    private final SyncDistricts districts;

    SchoolDatabasesHealth(SyncDistricts districts) {
        this.districts = districts;
    }

    @Override
    public Health health() {
        Map<String, String> schools = new LinkedHashMap<>();
        boolean allUp = true;
        for (SyncSchool school : districts.schools()) {
            String problem = school.database().unreachable();
            allUp &= problem == null;
            schools.put(school.database().name(), problem == null ? "UP" : "DOWN: " + problem);
        }
        return (allUp ? Health.up() : Health.down()).withDetails(Map.copyOf(schools)).build();
    }
}

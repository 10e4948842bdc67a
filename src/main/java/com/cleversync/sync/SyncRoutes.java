package com.cleversync.sync;

import com.cleversync.config.CleverSyncProperties;
import javax.sql.DataSource;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Up to three routes per district (its full, incremental and attendance schedules) and one per school
 * (its writer), created from the operator-editable templates in {@code routes/}. Their stable ids
 * ({@code district-springfield}, {@code events-springfield}, {@code attendance-springfield},
 * {@code school-springfield-lincoln-high})
 * are what operators stop, suspend and resume in Hawtio. Each school's database is in the registry
 * under its route id, for operators' own SQL steps in the writer route.
 */
@Component
class SyncRoutes extends RouteBuilder {
    private final SyncDistricts districts;
    private final boolean runOnce;

    SyncRoutes(SyncDistricts districts, CleverSyncProperties properties) {
        this.districts = districts;
        this.runOnce = properties.runOnce();
    }

    @Override
    public void configure() {
        for (SyncDistrict district : districts.all()) {
            if (!runOnce) {
                templatedRoute("district-schedule").routeId(district.routeId())
                        .parameter("district", district.key())
                        .parameter("group", "cleversync")
                        .parameter("mode", "full")
                        .parameter("schedule", district.schedule())
                        .parameter("timeZone", district.timeZone());
                if (district.eventsSchedule() != null) {
                    templatedRoute("district-schedule").routeId(district.eventsRouteId())
                            .parameter("district", district.key())
                            .parameter("group", "cleversync-events")
                            .parameter("mode", "incremental")
                            .parameter("schedule", district.eventsSchedule())
                            .parameter("timeZone", district.timeZone());
                }
                if (district.attendance() != null) {
                    templatedRoute("district-schedule").routeId(SyncAttendance.routeId(district.key()))
                            .parameter("district", district.key())
                            .parameter("group", "cleversync-attendance")
                            .parameter("mode", "attendance")
                            .parameter("schedule", district.attendance().schedule())
                            .parameter("timeZone", district.timeZone());
                }
            }
            for (SyncSchool school : district.schools()) {
                // an operator's camel-sql step in the school's route names its database: dataSource=#school-…
                getContext().getRegistry().bind(school.routeId(), DataSource.class, school.database().dataSource());
                templatedRoute("school-writer").routeId(school.routeId())
                        .parameter("schoolRoute", school.routeId());
            }
        }
    }
}

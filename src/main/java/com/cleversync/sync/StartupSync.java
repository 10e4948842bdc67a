package com.cleversync.sync;

import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Starts a sync right away for districts with {@code sync-on-startup: true} (the sandbox demo does):
 * incremental where every school has a usable event cursor, full otherwise; then the district's
 * attendance sync, where it has one.
 */
@Component
@ConditionalOnProperty(name = "cleversync.run-once", havingValue = "false", matchIfMissing = true)
class StartupSync {
    private final SyncDistricts districts;
    private final ProducerTemplate producer;

    StartupSync(SyncDistricts districts, ProducerTemplate producer) {
        this.districts = districts;
        this.producer = producer;
    }

    @EventListener(ApplicationReadyEvent.class)
    void syncOnStartup() {
        districts.all().stream().filter(SyncDistrict::syncOnStartup).forEach(d -> producer.asyncRequestBodyAndHeaders(
                "direct:sync-district", null, Map.of(DistrictRuns.DISTRICT, d.key(), DistrictRuns.TRIGGER, "startup",
                        DistrictRuns.MODE, "incremental")).whenComplete((roster, failure) -> {
                            if (d.attendance() != null) {
                                // after the roster, whatever its outcome: attendance has its own checkpoints
                                producer.asyncRequestBodyAndHeaders("direct:sync-district", null, Map.of(
                                        DistrictRuns.DISTRICT, d.key(), DistrictRuns.TRIGGER, "startup",
                                        DistrictRuns.MODE, "attendance"));
                            }
                        }));
    }
}

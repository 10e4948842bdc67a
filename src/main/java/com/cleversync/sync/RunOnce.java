package com.cleversync.sync;

import com.cleversync.config.CleverSyncProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * {@code cleversync.run-once=true}: syncs every district once, then its attendance where it has any,
 * prints the per-school summary and gives exit status 0 only if every school succeeded in both ({@link com.cleversync.CleverSyncApplication}
 * exits with it). The sync is incremental where every school has a usable event cursor and full
 * otherwise; {@code cleversync.full=true} forces a full sync. A district that is running on another
 * replica is not synced here, and the exit status is 1.
 */
@Component
@ConditionalOnProperty(name = "cleversync.run-once", havingValue = "true")
public class RunOnce implements ApplicationRunner, ExitCodeGenerator {
    private static final Logger LOG = LoggerFactory.getLogger(RunOnce.class);

    private final SyncDistricts districts;
    private final ProducerTemplate producer;
    private final String mode;
    private final List<DistrictRun> runs = new ArrayList<>();
    private int skipped;

    RunOnce(SyncDistricts districts, ProducerTemplate producer, CleverSyncProperties properties) {
        this.districts = districts;
        this.producer = producer;
        this.mode = properties.full() ? "full" : "incremental";
    }

    @Override
    public void run(ApplicationArguments args) {
        List<String> skipped = new ArrayList<>();
        for (SyncDistrict district : districts.all()) {
            DistrictRun run = producer.requestBodyAndHeaders("direct:sync-district", null,
                    Map.of(DistrictRuns.DISTRICT, district.key(), DistrictRuns.TRIGGER, "run-once", DistrictRuns.MODE, mode),
                    DistrictRun.class);
            if (run == null) {
                skipped.add(district.key()); // running already, on another replica (the warning says where)
                continue;
            }
            runs.add(run);
            if (district.attendance() != null) {
                // after the roster: Aeries' students are matched to the students it has just written
                DistrictRun attendance = producer.requestBodyAndHeaders("direct:sync-district", null,
                        Map.of(DistrictRuns.DISTRICT, district.key(), DistrictRuns.TRIGGER, "run-once",
                                DistrictRuns.MODE, "attendance"), DistrictRun.class);
                if (attendance == null) {
                    skipped.add(district.key() + " (attendance)");
                } else {
                    runs.add(attendance);
                }
            }
        }
        LOG.info("run-once finished: {} of {} districts fully succeeded{}",
                districts.all().stream().filter(d -> runs.stream().anyMatch(r -> r.district() == d)
                        && runs.stream().filter(r -> r.district() == d).allMatch(DistrictRun::succeeded)).count(),
                districts.all().size(),
                skipped.isEmpty() ? "" : "; not synced by this process, running elsewhere: " + String.join(", ", skipped));
        this.skipped = skipped.size();
    }

    /** The runs of this process, in district order. */
    public List<DistrictRun> runs() {
        return List.copyOf(runs);
    }

    @Override
    public int getExitCode() {
        return !runs.isEmpty() && skipped == 0 && runs.stream().allMatch(DistrictRun::succeeded) ? 0 : 1;
    }
}

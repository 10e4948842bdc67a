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
 * {@code cleversync.run-once=true}: syncs every district once, prints the per-school summary and
 * gives exit status 0 only if every school succeeded ({@link com.cleversync.CleverSyncApplication}
 * exits with it). The sync is incremental where every school has a usable event cursor and full
 * otherwise; {@code cleversync.full=true} forces a full sync.
 */
@Component
@ConditionalOnProperty(name = "cleversync.run-once", havingValue = "true")
public class RunOnce implements ApplicationRunner, ExitCodeGenerator {
    private static final Logger LOG = LoggerFactory.getLogger(RunOnce.class);

    private final SyncDistricts districts;
    private final ProducerTemplate producer;
    private final String mode;
    private final List<DistrictRun> runs = new ArrayList<>();

    RunOnce(SyncDistricts districts, ProducerTemplate producer, CleverSyncProperties properties) {
        this.districts = districts;
        this.producer = producer;
        this.mode = properties.full() ? "full" : "incremental";
    }

    @Override
    public void run(ApplicationArguments args) {
        for (SyncDistrict district : districts.all()) {
            runs.add(producer.requestBodyAndHeaders("direct:sync-district", null,
                    Map.of(DistrictRuns.DISTRICT, district.key(), DistrictRuns.TRIGGER, "run-once", DistrictRuns.MODE, mode),
                    DistrictRun.class));
        }
        LOG.info("run-once finished: {} of {} districts fully succeeded",
                runs.stream().filter(DistrictRun::succeeded).count(), runs.size());
    }

    /** The runs of this process, in district order. */
    public List<DistrictRun> runs() {
        return List.copyOf(runs);
    }

    @Override
    public int getExitCode() {
        return !runs.isEmpty() && runs.stream().allMatch(r -> r != null && r.succeeded()) ? 0 : 1;
    }
}

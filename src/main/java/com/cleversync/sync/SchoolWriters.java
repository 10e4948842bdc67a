package com.cleversync.sync;

import com.cleversync.config.CleverSyncProperties;
import com.cleversync.config.InvalidConfigurationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The lanes that write completed batches into school databases while a district's thread keeps
 * fetching and mapping Clever pages. Each lane is a small SEDA queue with one consumer thread, and
 * each school always writes through the same lane: a school's batches are therefore committed in
 * the order they were formed (events in feed order, checkpoints after the data they cover), while
 * different schools write in parallel. A full lane makes the district wait (backpressure), so
 * memory stays bounded however fast Clever answers.
 */
@Component
class SchoolWriters {
    /** Completed batches waiting in a lane (one more is being written). */
    private static final int LANE_QUEUE = 2;

    private final int lanes;
    private final Map<String, Integer> laneOfSchool = new HashMap<>();

    SchoolWriters(CleverSyncProperties properties, SyncDistricts districts) {
        this.lanes = properties.sync().writerThreads();
        if (lanes < 1) {
            throw new InvalidConfigurationException("cleversync.sync.writer-threads", "must be at least 1, was " + lanes);
        }
        List<SyncSchool> schools = districts.schools();
        for (int i = 0; i < schools.size(); i++) {
            laneOfSchool.put(schools.get(i).routeId(), i % lanes);
        }
    }

    int lanes() {
        return lanes;
    }

    /** The SEDA endpoint of a lane (the same URI for producer and consumer). */
    String uri(int lane) {
        return "seda:school-writer-lane-" + lane + "?size=" + LANE_QUEUE
                + "&blockWhenFull=true&waitForTaskToComplete=Never&concurrentConsumers=1";
    }

    /** The lane of a school's batches. */
    String uriOf(SchoolRun school) {
        return uri(laneOfSchool.get(school.school().routeId()));
    }
}

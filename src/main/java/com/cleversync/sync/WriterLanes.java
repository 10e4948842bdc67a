package com.cleversync.sync;

import com.cleversync.config.CleverSyncProperties;
import com.cleversync.config.InvalidConfigurationException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The lanes that write batches into school databases while a district's thread keeps fetching and
 * routing Clever pages. Each lane is a small SEDA queue with one consumer thread, and each school
 * always writes through the same lane: a school's batches are therefore committed in the order they
 * were formed (events in feed order, checkpoints after the data they cover), while different schools
 * write in parallel. A full lane makes the district wait (backpressure), so memory stays bounded
 * however fast Clever answers. The lanes follow every batch from its submission to its end, so a
 * run can wait for its batches.
 */
@Component
class WriterLanes {
    private static final Logger LOG = LoggerFactory.getLogger(WriterLanes.class);
    /** Batches waiting in a lane (one more is being written). */
    private static final int LANE_QUEUE = 8;
    /**
     * How long a run waits for its batches: a batch that never reports back (e.g. refused by lanes
     * shutting down) must not hang the district; its records then show as not written.
     */
    private static final Duration MAX_WAIT_FOR_BATCHES = Duration.ofMinutes(10);

    private final int lanes;
    private final Map<String, Integer> laneOfSchool = new HashMap<>();

    WriterLanes(CleverSyncProperties properties, SyncDistricts districts) {
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

    /** Counts the batch in its run and returns the endpoint of its school's lane. */
    public String submit(@Body SchoolBatch batch) {
        batch.school().run().batches().submitted();
        return uri(laneOfSchool.get(batch.school().school().routeId()));
    }

    /** A lane takes up a batch: its log lines now carry the batch's run, district and school. */
    public void started(@Body SchoolBatch batch) {
        RunLogContext.enter(batch.school());
    }

    /** A batch that could not be written fails its school for the rest of the run. */
    public void failed(@Body SchoolBatch batch, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception e) {
        SchoolRun school = batch.school();
        school.writeFailed("write failed: " + Failures.describe(e));
        LOG.error("run {} school {} failed: {}", school.runId(), school.school().routeId(), school.errorSummary());
    }

    /** The batch has left its school's writer route, written or failed. */
    public void done(@Body SchoolBatch batch) {
        batch.school().run().batches().done();
        RunLogContext.leave();
    }

    /** Waits until every batch the run submitted so far has been written or has failed (bounded). */
    void awaitBatches(DistrictRun run) throws InterruptedException {
        int left = run.batches().await(MAX_WAIT_FOR_BATCHES);
        if (left > 0) {
            LOG.warn("run {} district {}: {} batches still not written after {}; ending the run",
                    run.id(), run.district().key(), left, MAX_WAIT_FOR_BATCHES);
        }
    }
}

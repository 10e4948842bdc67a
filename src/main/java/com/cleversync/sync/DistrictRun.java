package com.cleversync.sync;

import com.cleversync.school.SchoolRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a district's sync: its id, the schools taking part, and the district-wide counts.
 * It decides which schools a record goes to.
 */
public final class DistrictRun {
    private static final Logger LOG = LoggerFactory.getLogger(DistrictRun.class);
    private static final Duration MAX_WAIT_FOR_BATCHES = Duration.ofMinutes(10);

    private final String id = UUID.randomUUID().toString();
    private final SyncDistrict district;
    private final String trigger;
    private final Instant startedAt = Instant.now();
    private final List<SchoolRun> schools;
    private final Map<String, SchoolRun> byCleverId = new LinkedHashMap<>();
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile Instant finishedAt;
    /** Batches handed to writer threads and not yet written (or failed). */
    private int batchesInFlight;

    DistrictRun(SyncDistrict district, String trigger) {
        this.district = district;
        this.trigger = trigger;
        List<SchoolRun> runs = new ArrayList<>();
        for (SyncSchool school : district.schools()) {
            SchoolRun run = new SchoolRun(this, school);
            runs.add(run);
            byCleverId.put(school.cleverId(), run);
        }
        this.schools = List.copyOf(runs);
    }

    public String id() {
        return id;
    }

    public SyncDistrict district() {
        return district;
    }

    public String trigger() {
        return trigger;
    }

    public List<SchoolRun> schools() {
        return schools;
    }

    public long read() {
        return read.get();
    }

    /** Records that belong to no configured school (never written anywhere). */
    public long skipped() {
        return skipped.get();
    }

    public Duration elapsed() {
        return Duration.between(startedAt, finishedAt == null ? Instant.now() : finishedAt);
    }

    public boolean succeeded() {
        return schools.stream().allMatch(s -> s.status() == SchoolRun.Status.SUCCEEDED);
    }

    /** The configured, still healthy schools a record belongs to; counts it as skipped when there are none. */
    List<SchoolRun> route(SchoolRecord record) {
        read.incrementAndGet();
        List<SchoolRun> targets = new ArrayList<>(1);
        if (record.belongsToEverySchool()) {
            targets.addAll(schools);
        } else {
            for (String cleverId : record.schools()) {
                SchoolRun run = byCleverId.get(cleverId);
                if (run != null) {
                    targets.add(run);
                }
            }
        }
        if (targets.isEmpty()) {
            skipped.incrementAndGet();
            if (record.rejected()) {
                LOG.warn("run {} district {}: a {} record ({}) cannot be routed to any school to be quarantined: {};"
                        + " counted as skipped", id, district.key(), record.resource().label(), record.id(),
                        record.rejectReason());
            }
        }
        targets.removeIf(SchoolRun::failed);
        targets.forEach(SchoolRun::routed);
        return targets;
    }

    /** A failure of the whole district (e.g. Clever unreachable) fails every school. */
    void fail(String reason) {
        schools.forEach(s -> s.fail(reason));
    }

    synchronized void batchSubmitted() {
        batchesInFlight++;
    }

    synchronized void batchDone() {
        if (--batchesInFlight == 0) {
            notifyAll();
        }
    }

    /**
     * Waits until every batch of this run has been written or has failed, then ends the run. The
     * wait is bounded: a batch that never reports back (e.g. refused by writers shutting down) must
     * not hang the district; its records then show as not written and the school as FAILED.
     */
    synchronized void finish() throws InterruptedException {
        long deadline = System.nanoTime() + MAX_WAIT_FOR_BATCHES.toNanos();
        while (batchesInFlight > 0) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                LOG.warn("run {} district {}: {} batches still not written after {}; ending the run",
                        id, district.key(), batchesInFlight, MAX_WAIT_FOR_BATCHES);
                break;
            }
            wait(left);
        }
        finishedAt = Instant.now();
    }
}

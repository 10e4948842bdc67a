package com.cleversync.sync;

import com.cleversync.clever.CleverPage;
import com.cleversync.clever.CleverRecord;
import com.cleversync.clever.CleverResource;
import com.cleversync.config.CleverSyncProperties;
import com.cleversync.school.Checkpoint;
import com.cleversync.school.OmittedFields;
import com.cleversync.school.RecordMapping;
import com.cleversync.school.SchoolRecord;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

/**
 * Turns a page, of a list or of the events feed, into its schools' batches: the page's records are
 * mapped, routed to their schools and cut into batches of {@code cleversync.sync.batch-size}; each
 * school's last batch of the page carries the checkpoint the page reaches for it, so the
 * checkpoint commits with the last of the records it covers. A page is handled as one unit (no
 * exchange per record) and is bounded (at most page-size records), so its batches are too.
 */
@Component
class SchoolBatches {
    private final int batchSize;
    private final OmittedFields omitted;

    SchoolBatches(CleverSyncProperties properties, OmittedFields omitted) {
        this.batchSize = properties.sync().batchSize();
        this.omitted = omitted;
    }

    /** A page of a list or of the events feed as its schools' batches. */
    public List<SchoolBatch> of(@Body CleverPage page, @ExchangeProperty(DistrictRuns.RUN) DistrictRun run) {
        return page.resource() == CleverResource.EVENTS ? ofEventPage(page, run) : ofListPage(page, run);
    }

    /** A page of a list: its records in the schools they belong to, and each school's checkpoint after it. */
    private List<SchoolBatch> ofListPage(CleverPage page, DistrictRun run) {
        Map<SchoolRun, List<SchoolRecord>> records = run.routing().list(page.resource(), () -> mapped(page.iterator()));
        return batches(records, run.plan().checkpoints(page.resource(), page.lastId()));
    }

    /** A page of events, applied as a unit: each school's changes in feed order, its archives, its cursor after the page. */
    private List<SchoolBatch> ofEventPage(CleverPage page, DistrictRun run) {
        Map<SchoolRun, List<SchoolRecord>> records = run.routing().events(page, this::map);
        return batches(records, run.plan().eventCheckpoints(page));
    }

    /**
     * Each school's records in batches of at most batch-size, the last with the school's archive
     * orders and its checkpoint (a school with only a checkpoint gets a batch of no records). The schools' batches alternate,
     * so that every lane has work while the district hands them out.
     */
    List<SchoolBatch> batches(Map<SchoolRun, List<SchoolRecord>> records, Map<SchoolRun, Checkpoint> checkpoints) {
        Set<SchoolRun> schools = new LinkedHashSet<>(records.keySet());
        schools.addAll(checkpoints.keySet());
        List<List<SchoolBatch>> bySchool = new ArrayList<>();
        for (SchoolRun school : schools) {
            List<SchoolRecord> own = records.getOrDefault(school, List.of());
            Checkpoint checkpoint = checkpoints.get(school);
            if (own.isEmpty() && checkpoint == null) {
                continue;
            }
            // archive orders are cheap (one statement for all of them) and go with the checkpoint
            List<SchoolRecord> upserts = own.stream().filter(r -> !r.archived()).toList();
            List<SchoolBatch> batches = new ArrayList<>();
            int last = upserts.isEmpty() ? 0 : (upserts.size() - 1) / batchSize * batchSize;
            for (int from = 0; from < last; from += batchSize) {
                batches.add(new SchoolBatch(school, school.passId(), upserts.subList(from, from + batchSize), null));
            }
            List<SchoolRecord> lastBatch = new ArrayList<>(upserts.subList(last, upserts.size()));
            own.stream().filter(SchoolRecord::archived).forEach(lastBatch::add);
            batches.add(new SchoolBatch(school, school.passId(), lastBatch, checkpoint));
            bySchool.add(batches);
        }
        List<SchoolBatch> interleaved = new ArrayList<>();
        for (int i = 0; !bySchool.isEmpty(); i++) {
            int round = i;
            bySchool.removeIf(batches -> round >= batches.size());
            bySchool.forEach(batches -> interleaved.add(batches.get(round)));
        }
        return interleaved;
    }

    /** A Clever record as a school's row, without the fields the schools may not store. */
    private SchoolRecord map(CleverRecord record) {
        return RecordMapping.map(omitted.apply(record));
    }

    private Iterator<SchoolRecord> mapped(Iterator<CleverRecord> records) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return records.hasNext();
            }

            @Override
            public SchoolRecord next() {
                return map(records.next());
            }
        };
    }
}

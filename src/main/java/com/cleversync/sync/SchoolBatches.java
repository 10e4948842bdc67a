package com.cleversync.sync;

import com.cleversync.config.CleverSyncProperties;
import com.cleversync.school.Checkpoint;
import com.cleversync.school.SchoolRecord;
import com.cleversync.school.SourcePage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

/**
 * Turns a source's page, of a list or of changes, into its schools' batches: the page's records are
 * routed to their schools and cut into batches of {@code cleversync.sync.batch-size}; each
 * school's last batch of the page carries the checkpoint the page reaches for it, so the
 * checkpoint commits with the last of the records it covers. A page is handled as one unit (no
 * exchange per record) and is bounded (at most page-size records), so its batches are too.
 */
@Component
class SchoolBatches {
    private final int batchSize;

    SchoolBatches(CleverSyncProperties properties) {
        this.batchSize = properties.sync().batchSize();
    }

    /**
     * A page as its schools' batches. A list's page: its records in the schools they belong to, and
     * each school's checkpoint after it. A page of changes, applied as a unit: each school's records
     * in the order of their changes, its archives, its cursor after the page.
     */
    public List<SchoolBatch> of(@Body SourcePage page, @ExchangeProperty(DistrictRuns.RUN) DistrictRun run) {
        if (page instanceof SourcePage.Listed list) {
            return batches(run.routing().list(list.list(), list.records()),
                    run.plan().checkpoints(list.list(), list.lastId()));
        }
        SourcePage.Changed changes = (SourcePage.Changed) page;
        return batches(run.routing().changes(changes.changes()),
                run.plan().changeCheckpoints(changes.lastPosition(), changes.complete()));
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
}

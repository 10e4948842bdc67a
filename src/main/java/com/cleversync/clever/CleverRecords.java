package com.cleversync.clever;

import com.cleversync.school.SchoolRecord;
import com.cleversync.school.SourcePage;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Body;
import org.springframework.stereotype.Component;

/**
 * A Clever page as the schools' records: a list's records mapped to their rows, or the events
 * feed's changes in feed order (a user's event once per role it holds; a {@code *.deleted} event
 * as a deletion). The fields the schools may not store are removed first.
 */
@Component
public class CleverRecords {
    private final OmittedFields omitted;

    public CleverRecords(OmittedFields omitted) {
        this.omitted = omitted;
    }

    public SourcePage of(@Body CleverPage page) {
        if (page.resource() != CleverResource.EVENTS) {
            List<SchoolRecord> records = new ArrayList<>(page.size());
            page.forEach(record -> records.add(map(record)));
            return new SourcePage.Listed(page.resource().label(), records, page.lastId());
        }
        List<SourcePage.Change> changes = new ArrayList<>(page.size());
        for (CleverRecord record : page) {
            CleverEvent event = CleverEvent.of(record);
            for (CleverRecord changed : event.records()) {
                if (changed.id() != null) {
                    changes.add(event.deleted()
                            ? SourcePage.Change.deleted(event.id(), changed.resource().table(), changed.id())
                            : new SourcePage.Change(event.id(), changed.resource().table(), changed.id(), map(changed)));
                }
            }
        }
        return new SourcePage.Changed(changes, page.lastId(), page.next() == null);
    }

    private SchoolRecord map(CleverRecord record) {
        return CleverMapping.map(omitted.apply(record));
    }
}

package com.cleversync.clever;

import com.cleversync.school.SchoolRecord;
import com.cleversync.school.SourcePage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.camel.Body;
import org.springframework.stereotype.Component;

/**
 * Clever's records as the schools' records: a list's record mapped to its row, or an event of the
 * feed as its changes (a user's event once per role it holds; a {@code *.deleted} event as a
 * deletion). The fields the schools may not store are removed first. {@link #reader} does it for
 * each record while the page is parsed; {@link #of} hands the page on as a {@link SourcePage}.
 */
@Component
public class CleverRecords {
    private final OmittedFields omitted;

    public CleverRecords(OmittedFields omitted) {
        this.omitted = omitted;
    }

    /** What a page of the resource keeps of each record: its row, or for the events feed its changes. */
    public Function<CleverRecord, ?> reader(CleverResource resource) {
        return resource == CleverResource.EVENTS ? this::changes : this::row;
    }

    /** A page read with {@link #reader}: a list's rows, or the feed's changes in feed order. */
    @SuppressWarnings("unchecked") // the page was read with reader(page.resource())
    public SourcePage of(@Body CleverPage<?> page) {
        if (page.resource() != CleverResource.EVENTS) {
            return new SourcePage.Listed(page.resource().label(), (List<SchoolRecord>) page.items(), page.lastId());
        }
        List<SourcePage.Change> changes = new ArrayList<>(page.size());
        for (Object eventChanges : page.items()) {
            changes.addAll((List<SourcePage.Change>) eventChanges);
        }
        return new SourcePage.Changed(changes, page.lastId(), page.next() == null);
    }

    private SchoolRecord row(CleverRecord record) {
        return CleverMapping.map(omitted.apply(record));
    }

    private List<SourcePage.Change> changes(CleverRecord record) {
        CleverEvent event = CleverEvent.of(record);
        List<SourcePage.Change> changes = new ArrayList<>(event.records().size());
        for (CleverRecord changed : event.records()) {
            if (changed.id() != null) {
                changes.add(event.deleted()
                        ? SourcePage.Change.deleted(event.id(), changed.resource().table(), changed.id())
                        : new SourcePage.Change(event.id(), changed.resource().table(), changed.id(), row(changed)));
            }
        }
        return changes;
    }
}

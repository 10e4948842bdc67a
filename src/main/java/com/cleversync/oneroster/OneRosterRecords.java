package com.cleversync.oneroster;

import com.cleversync.school.SchoolRecord;
import com.cleversync.school.SourcePage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * OneRoster's records as the schools' records: what a page keeps of each record while it is parsed
 * ({@link #listReader()} for a full sync's pages, {@link #changeReader} for an incremental sync's), and
 * the page handed on as a {@link SourcePage}.
 *
 * <p>OneRoster has no feed of changes: an incremental sync lists the records changed since a time
 * ({@code filter=dateLastModified>'…'}), deleted ones included as {@code tobedeleted}. So a page of
 * changes is a page of records, each read as its new state or as its deletions.
 */
public final class OneRosterRecords {

    /**
     * A full sync's reader: each record's row (or reject); null for a record no school stores, or one
     * {@code tobedeleted}, which the page then leaves out: not written, it is archived by the full
     * sync's reconciliation like any record no longer listed.
     */
    public Function<OneRosterRecord, SchoolRecord> listReader() {
        return OneRosterMapping::map;
    }

    /**
     * An incremental sync's reader: a {@code tobedeleted} record becomes its {@link OneRosterMapping#deletions
     * deletions}; a stored record (a reject too) one change with its new state; a record no school stores
     * none.
     *
     * @param position where these changes stand among the source's changes (the cursor the page moves to)
     */
    public Function<OneRosterRecord, List<SourcePage.Change>> changeReader(String position) {
        return record -> {
            if (record.tobedeleted()) {
                return OneRosterMapping.deletions(record, position);
            }
            SchoolRecord row = OneRosterMapping.map(record);
            return row == null ? List.of() : List.of(new SourcePage.Change(position, row.table(), row.id(), row));
        };
    }

    /**
     * A page read with {@link #listReader()} as one page of its collection's list.
     *
     * @param checkpointPosition where the list resumes after this page (with offset paging: the offset of
     *                           the next page), or null when none
     */
    public SourcePage listed(OneRosterPage<SchoolRecord> page, String checkpointPosition) {
        return new SourcePage.Listed(page.collection().label(), page.items(), checkpointPosition);
    }

    /**
     * A page read with {@link #changeReader} as its changes, in page order.
     *
     * @param lastPosition the incremental sync's cursor after this page, or null
     * @param complete     the changes have been read to their end with this page
     */
    public SourcePage changed(OneRosterPage<List<SourcePage.Change>> page, String lastPosition, boolean complete) {
        List<SourcePage.Change> changes = new ArrayList<>(page.size());
        page.items().forEach(changes::addAll);
        return new SourcePage.Changed(changes, lastPosition, complete);
    }
}

package com.cleversync.school;

import java.util.List;

/**
 * A page of a roster source as the schools' records, whichever source read it: what the batching
 * and the school databases work with. A source (Clever's lists and events feed, later OneRoster)
 * maps its own page to one of these.
 */
public sealed interface SourcePage {

    /**
     * A page of one of the source's lists, in the list's order.
     *
     * @param list   the source's name of the list (what a checkpoint records), e.g. {@code students}
     * @param lastId the id of the page's last record (where the list resumes after it), or null when none
     */
    record Listed(String list, List<SchoolRecord> records, String lastId) implements SourcePage {}

    /**
     * A page of the source's changes, in the order they happened.
     *
     * @param lastPosition the position of the page's last change (the incremental sync's cursor), or null
     * @param complete     the changes have been read to their end with this page
     */
    record Changed(List<Change> changes, String lastPosition, boolean complete) implements SourcePage {}

    /**
     * One change: the record's new state, or (record null) its deletion.
     *
     * @param position where the change stands in the source's changes (compared as text, like the cursor)
     */
    record Change(String position, SchoolTable table, String id, SchoolRecord record) {
        public static Change deleted(String position, SchoolTable table, String id) {
            return new Change(position, table, id, null);
        }

        public boolean deletion() {
            return record == null;
        }
    }
}

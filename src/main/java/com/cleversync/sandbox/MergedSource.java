package com.cleversync.sandbox;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Several sources seen as one, merged by id. Serves {@code /users}, whose students, teachers and staff come from
 * separate tables: generated ids are already in disjoint ascending ranges, but ids that tests add may fall anywhere.
 */
final class MergedSource implements RecordSource {

    private final List<RecordSource> parts;

    MergedSource(List<RecordSource> parts) {
        this.parts = List.copyOf(parts);
    }

    @Override
    public RecordCursor ascending(String from, boolean inclusive) {
        List<RecordCursor> cursors = new ArrayList<>(parts.size());
        for (RecordSource part : parts) {
            cursors.add(part.ascending(from, inclusive));
        }
        return new Merging(cursors, Comparator.naturalOrder());
    }

    @Override
    public RecordCursor descending(String before) {
        List<RecordCursor> cursors = new ArrayList<>(parts.size());
        for (RecordSource part : parts) {
            cursors.add(part.descending(before));
        }
        return new Merging(cursors, Comparator.reverseOrder());
    }

    private static final class Merging extends RecordCursor {

        private final List<RecordCursor> cursors;
        private final Comparator<String> order;

        Merging(List<RecordCursor> cursors, Comparator<String> order) {
            this.cursors = cursors;
            this.order = order;
        }

        @Override
        protected RecordEntry computeNext() {
            RecordCursor first = null;
            for (RecordCursor cursor : cursors) {
                RecordEntry head = cursor.peek();
                // strict comparison: on equal ids (a test put the same id under two roles) the earlier part wins
                if (head != null && (first == null || order.compare(head.id(), first.peek().id()) < 0)) {
                    first = cursor;
                }
            }
            return first == null ? null : first.next();
        }
    }
}

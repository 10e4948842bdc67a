package com.cleversync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.function.Supplier;

/** A source holding one fixed record: the district, which the API pages like any other collection. */
final class SingleRecordSource implements RecordSource {

    private final RecordEntry entry;

    SingleRecordSource(String id, Supplier<ObjectNode> record) {
        this.entry = new RecordEntry(id, record);
    }

    @Override
    public RecordCursor ascending(String from, boolean inclusive) {
        int order = from == null ? 1 : entry.id().compareTo(from);
        return onlyIf(order > 0 || (inclusive && order == 0));
    }

    @Override
    public RecordCursor descending(String before) {
        return onlyIf(entry.id().compareTo(before) < 0);
    }

    private RecordCursor onlyIf(boolean included) {
        return new RecordCursor() {
            private boolean served = !included;

            @Override
            protected RecordEntry computeNext() {
                if (served) {
                    return null;
                }
                served = true;
                return entry;
            }
        };
    }
}

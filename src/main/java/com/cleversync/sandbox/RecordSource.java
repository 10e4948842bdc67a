package com.cleversync.sandbox;

/** Something the API can page through: records ordered by id, walkable in both directions from any id. */
interface RecordSource {

    /**
     * Records with an id greater than {@code from} (or equal to it too, when {@code inclusive}), ascending;
     * all records when {@code from} is null.
     */
    RecordCursor ascending(String from, boolean inclusive);

    /** Records with an id less than {@code before}, descending. */
    RecordCursor descending(String before);

    /** The record with exactly this id, if present. */
    default RecordEntry find(String id) {
        RecordEntry candidate = ascending(id, true).peek();
        return candidate != null && candidate.id().equals(id) ? candidate : null;
    }
}

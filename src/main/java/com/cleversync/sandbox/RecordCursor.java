package com.cleversync.sandbox;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** An iterator over records in id order that can look at the next entry without consuming it. */
abstract class RecordCursor implements Iterator<RecordEntry> {

    private RecordEntry head;
    private boolean headComputed;

    /** The next entry, or {@code null} when there is none. Called at most once per entry. */
    protected abstract RecordEntry computeNext();

    /** The next entry without consuming it, or {@code null} at the end. */
    final RecordEntry peek() {
        if (!headComputed) {
            head = computeNext();
            headComputed = true;
        }
        return head;
    }

    @Override
    public final boolean hasNext() {
        return peek() != null;
    }

    @Override
    public final RecordEntry next() {
        RecordEntry entry = peek();
        if (entry == null) {
            throw new NoSuchElementException();
        }
        head = null;
        headComputed = false;
        return entry;
    }
}

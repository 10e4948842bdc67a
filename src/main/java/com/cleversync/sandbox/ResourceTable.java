package com.cleversync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongFunction;

/**
 * The records of one resource: a lazily generated, id-ordered sequence plus a small overlay of test mutations.
 * Generated records are never stored; only overlay records and deleted ids take memory.
 *
 * <p>Reads are lock-free (concurrent collections) so several HTTP clients can page while a test mutates;
 * mutations are synchronized to keep "an overlay id is never also deleted" true.
 */
final class ResourceTable implements RecordSource {

    private final SandboxResource resource;
    private final long generatedCount;
    private final LongFunction<ObjectNode> generator;
    private final ConcurrentSkipListMap<String, ObjectNode> overlay = new ConcurrentSkipListMap<>();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();

    ResourceTable(SandboxResource resource, long generatedCount, LongFunction<ObjectNode> generator) {
        this.resource = resource;
        this.generatedCount = generatedCount;
        this.generator = generator;
    }

    @Override
    public RecordCursor ascending(String from, boolean inclusive) {
        long start = from == null ? 0 : firstIndexAfter(from, inclusive);
        NavigableMap<String, ObjectNode> tail = from == null ? overlay : overlay.tailMap(from, inclusive);
        return new Merge(start, 1, tail.entrySet().iterator(), Comparator.naturalOrder());
    }

    @Override
    public RecordCursor descending(String before) {
        long start = firstIndexAfter(before, true) - 1;
        Iterator<Map.Entry<String, ObjectNode>> overlayBefore =
                overlay.headMap(before, false).descendingMap().entrySet().iterator();
        return new Merge(start, -1, overlayBefore, Comparator.reverseOrder());
    }

    Optional<ObjectNode> get(String id) {
        ObjectNode stored = overlay.get(id);
        if (stored != null) {
            return Optional.of(stored.deepCopy());
        }
        if (deleted.contains(id)) {
            return Optional.empty();
        }
        long index = generatedIndexOf(id);
        return index < 0 ? Optional.empty() : Optional.of(generator.apply(index));
    }

    long count() {
        long deletedGenerated = deleted.stream().filter(id -> generatedIndexOf(id) >= 0).count();
        long addedOverlay = overlay.keySet().stream().filter(id -> generatedIndexOf(id) < 0).count();
        return generatedCount - deletedGenerated + addedOverlay;
    }

    synchronized void put(String id, ObjectNode record) {
        overlay.put(id, record.deepCopy());
        deleted.remove(id);
    }

    synchronized void delete(String id) {
        overlay.remove(id);
        deleted.add(id);
    }

    /** Index of the generated record with exactly this id, or -1. */
    private long generatedIndexOf(String id) {
        long index = firstIndexAfter(id, true);
        return index < generatedCount && CleverIds.of(resource, index).equals(id) ? index : -1;
    }

    /**
     * The first generation index whose id is greater than {@code id} (or equal, when {@code inclusive}).
     * Generated ids ascend with the index, so a binary search over the id function finds it for any string.
     */
    private long firstIndexAfter(String id, boolean inclusive) {
        long low = 0;
        long high = generatedCount;
        while (low < high) {
            long middle = (low + high) >>> 1;
            int order = CleverIds.of(resource, middle).compareTo(id);
            if (order > 0 || (inclusive && order == 0)) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }

    /**
     * Merges generated records (walking the index by {@code step}) with overlay records, both already in the
     * cursor's order. An overlay record with a generated id replaces the generated one.
     */
    private final class Merge extends RecordCursor {

        private long nextIndex;
        private final int step;
        private final Iterator<Map.Entry<String, ObjectNode>> overlayRecords;
        private final Comparator<String> order;
        private Map.Entry<String, ObjectNode> overlayHead;

        Merge(long start, int step, Iterator<Map.Entry<String, ObjectNode>> overlayRecords, Comparator<String> order) {
            this.nextIndex = start;
            this.step = step;
            this.overlayRecords = overlayRecords;
            this.order = order;
        }

        @Override
        protected RecordEntry computeNext() {
            String generatedId = skipDeleted();
            if (overlayHead == null && overlayRecords.hasNext()) {
                overlayHead = overlayRecords.next();
            }
            if (overlayHead != null && (generatedId == null || order.compare(overlayHead.getKey(), generatedId) <= 0)) {
                if (overlayHead.getKey().equals(generatedId)) {
                    nextIndex += step;
                }
                ObjectNode stored = overlayHead.getValue();
                RecordEntry entry = new RecordEntry(overlayHead.getKey(), stored::deepCopy);
                overlayHead = null;
                return entry;
            }
            if (generatedId == null) {
                return null;
            }
            long index = nextIndex;
            nextIndex += step;
            return new RecordEntry(generatedId, () -> generator.apply(index));
        }

        /** Advances past deleted generated records; returns the id at {@code nextIndex}, or null past the end. */
        private String skipDeleted() {
            while (nextIndex >= 0 && nextIndex < generatedCount) {
                String id = CleverIds.of(resource, nextIndex);
                if (!deleted.contains(id)) {
                    return id;
                }
                nextIndex += step;
            }
            return null;
        }
    }
}

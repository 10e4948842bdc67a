package com.cleversync.sync;

import java.util.List;
import java.util.NoSuchElementException;

/** All configured districts; closing it closes every school's connection pool. */
public record SyncDistricts(List<SyncDistrict> all) implements AutoCloseable {

    public SyncDistrict get(String key) {
        return all.stream().filter(d -> d.key().equals(key)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no district " + key));
    }

    public boolean has(String key) {
        return all.stream().anyMatch(d -> d.key().equals(key));
    }

    /** The districts that read the given source. */
    public List<SyncDistrict> of(Class<? extends DistrictSource> source) {
        return all.stream().filter(d -> source.isInstance(d.source())).toList();
    }

    public List<SyncSchool> schools() {
        return all.stream().flatMap(d -> d.schools().stream()).toList();
    }

    @Override
    public void close() {
        schools().forEach(s -> s.database().close());
    }
}

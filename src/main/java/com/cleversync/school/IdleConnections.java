package com.cleversync.school;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The school databases that keep their connection open between uses, service-wide: the
 * {@code capacity} most recently used. When another one is used, the least recently used one closes
 * its idle connections. The connections the service holds then follow the schools being written,
 * not the number of schools: a district of 150 schools on a server with {@code max_connections} 100
 * syncs, and a lane that writes the same few schools in turn keeps their connections.
 */
public final class IdleConnections {
    private final int capacity;
    /** In access order: the eldest entry is the least recently used school. */
    private final Map<SchoolDatabase, Boolean> recent = new LinkedHashMap<>(16, 0.75f, true);

    public IdleConnections(int capacity) {
        this.capacity = capacity;
    }

    /**
     * The school is being used: it may keep its connection. Beyond the capacity, the least recently
     * used school that is not in use closes its idle connections (one in use would lose the
     * connection being opened for it; it is closed on a later turn).
     */
    void used(SchoolDatabase school) {
        synchronized (recent) {
            recent.put(school, Boolean.TRUE);
            Iterator<SchoolDatabase> eldest = recent.keySet().iterator();
            while (recent.size() > capacity && eldest.hasNext()) {
                SchoolDatabase candidate = eldest.next();
                if (candidate != school && candidate.closeIdleConnectionsUnlessInUse()) {
                    eldest.remove();
                }
            }
        }
    }

    /** The school closed its idle connections itself (its run ended). */
    void released(SchoolDatabase school) {
        synchronized (recent) {
            recent.remove(school);
        }
    }

    /** Schools holding an open connection between uses now (for tests and metrics). */
    public int holding() {
        synchronized (recent) {
            return recent.size();
        }
    }
}

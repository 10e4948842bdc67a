package com.cleversync.oneroster;

import java.time.Duration;

/**
 * Where a district's OneRoster provider serves its collections and how it is read, presets and
 * overrides applied.
 *
 * @param collectionsUrl    the root the collections hang below, e.g. {@code https://sis.example.org/ims/oneroster/rostering/v1p2}
 * @param version           {@code 1.1} or {@code 1.2}
 * @param pageSize          records per page ({@code limit})
 * @param requestsPerMinute our limit per client id
 * @param deltas            whether incremental syncs ask for {@code dateLastModified} deltas
 * @param deltaMargin       how far before the last run's start a delta begins
 */
public record OneRosterApi(String collectionsUrl, String version, int pageSize, int requestsPerMinute, boolean deltas,
                           Duration deltaMargin) {

    /** The standard path of a version below a provider's root. */
    public static String standardPath(String version) {
        return "1.1".equals(version) ? "/ims/oneroster/v1p1" : "/ims/oneroster/rostering/v1p2";
    }
}

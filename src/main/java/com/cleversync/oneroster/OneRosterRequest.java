package com.cleversync.oneroster;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * One page of a collection to ask for: {@code limit} records from {@code offset}, all of them or (a
 * delta) those the filter keeps.
 *
 * @param filter e.g. {@code dateLastModified>'2026-12-01T02:00:00.000Z'}, or null for the whole collection
 */
public record OneRosterRequest(OneRosterCollection collection, String filter, int offset, int limit) {

    /** The first page of a collection. */
    public static OneRosterRequest first(OneRosterCollection collection, String filter, int limit) {
        return new OneRosterRequest(collection, filter, 0, limit);
    }

    /** The page after this one, which held {@code size} records. */
    public OneRosterRequest next(int size) {
        return new OneRosterRequest(collection, filter, offset + size, limit);
    }

    /** The request's URL below the provider's collections root. */
    public String uri(String collectionsUrl) {
        StringBuilder uri = new StringBuilder(collectionsUrl).append('/').append(collection.path())
                .append("?limit=").append(limit).append("&offset=").append(offset);
        if (filter != null) {
            uri.append("&filter=").append(URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return uri.toString();
    }

    /** For messages: the collection and where in it, e.g. {@code GET users (offset 2000, delta)}. */
    @Override
    public String toString() {
        return "GET " + collection.path() + " (offset " + offset + (filter == null ? "" : ", delta") + ")";
    }
}

package com.cleversync.sandbox.oneroster;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A page by {@code limit} and {@code offset}, and the {@code Link} header that leads from it: {@code first} and
 * {@code last} always, {@code prev} unless at the start, {@code next} unless this is the last page.
 *
 * @param limit  records per page: 100 unless asked, never more than the provider's maximum
 * @param offset how many records to skip
 */
record OffsetPage(int limit, int offset) {

    static final int DEFAULT_LIMIT = 100;

    /** Parses {@code limit} and {@code offset} (null when absent); a larger limit than allowed is clamped. */
    static OffsetPage of(String limit, String offset, int maxPageSize) {
        int pageSize = limit == null ? DEFAULT_LIMIT : number("limit", limit, 1);
        return new OffsetPage(Math.min(pageSize, maxPageSize), offset == null ? 0 : number("offset", offset, 0));
    }

    /** Where the page's records start and end in a list of {@code total}. */
    int from(int total) {
        return Math.min(offset, total);
    }

    int to(int total) {
        return (int) Math.min((long) offset + limit, total);
    }

    /**
     * The {@code Link} header: absolute URLs of {@code url} (scheme, host and path as requested) with the other
     * parameters of the request first, unchanged ({@code keptQuery}, e.g. the filter), then limit and offset.
     * {@code last} continues the offsets this page's {@code next} links walk.
     */
    String links(String url, String keptQuery, int total) {
        List<String> links = new ArrayList<>();
        links.add(link(url, keptQuery, 0, "first"));
        if (offset > 0) {
            links.add(link(url, keptQuery, Math.max(0, offset - limit), "prev"));
        }
        if ((long) offset + limit < total) {
            links.add(link(url, keptQuery, offset + limit, "next"));
        }
        int last = total == 0 ? 0
                : offset < total ? offset + (total - 1 - offset) / limit * limit
                : (total - 1) / limit * limit;
        links.add(link(url, keptQuery, last, "last"));
        return String.join(", ", links);
    }

    private String link(String url, String keptQuery, int at, String rel) {
        String query = (keptQuery.isEmpty() ? "" : keptQuery + "&") + "limit=" + limit + "&offset=" + at;
        return "<" + url + "?" + query + ">; rel=\"" + rel + "\"";
    }

    /** A whole number of at least {@code min}; an absurdly large one is the largest int, since lists are int-sized. */
    private static int number(String name, String raw, int min) {
        BigInteger value;
        try {
            value = new BigInteger(raw.trim());
        } catch (NumberFormatException e) {
            throw new RosterError(400, "invalid_data", name + " must be a whole number");
        }
        if (value.compareTo(BigInteger.valueOf(min)) < 0) {
            throw new RosterError(400, "invalid_data", name + " must be at least " + min);
        }
        return value.min(BigInteger.valueOf(Integer.MAX_VALUE)).intValue();
    }
}

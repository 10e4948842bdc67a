package com.cleversync.sandbox;

import java.math.BigInteger;
import java.util.Map;

/** The paging parameters of a list request, validated the way Clever does. */
record PageRequest(int limit, String startingAfter, String endingBefore) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    static PageRequest of(Map<String, String> query) {
        String startingAfter = blankToNull(query.get("starting_after"));
        String endingBefore = blankToNull(query.get("ending_before"));
        if (startingAfter != null && endingBefore != null) {
            throw new ApiError(400, "starting_after and ending_before cannot be combined");
        }
        return new PageRequest(limit(query.get("limit")), startingAfter, endingBefore);
    }

    /** The cursor parameter as given ("starting_after=..." or "ending_before=..."), or null for a first page. */
    String cursorName() {
        return startingAfter != null ? "starting_after" : endingBefore != null ? "ending_before" : null;
    }

    String cursorValue() {
        return startingAfter != null ? startingAfter : endingBefore;
    }

    private static int limit(String raw) {
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        BigInteger limit;
        try {
            // BigInteger, so that an absurdly large limit is "too large" (413) rather than "not a number" (400)
            limit = new BigInteger(raw.trim());
        } catch (NumberFormatException e) {
            throw new ApiError(400, "limit must be an integer");
        }
        if (limit.compareTo(BigInteger.valueOf(MAX_LIMIT)) > 0) {
            throw new ApiError(413, "limit must not exceed " + MAX_LIMIT);
        }
        if (limit.signum() < 1) {
            throw new ApiError(400, "limit must be at least 1");
        }
        return limit.intValue();
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}

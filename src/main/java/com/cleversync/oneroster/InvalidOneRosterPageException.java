package com.cleversync.oneroster;

/**
 * A OneRoster response body that is not a usable page (not JSON, truncated, or not the collection's
 * envelope): retried like an outage, as Clever's {@code InvalidPageException} is. Unchecked like that
 * one, and like it not an {@code IOException}: a route retrying pages must name it. Its message names
 * the collection and what was wrong, never anything of a record.
 */
public class InvalidOneRosterPageException extends RuntimeException {
    public InvalidOneRosterPageException(OneRosterCollection collection, String problem) {
        super("OneRoster " + collection.label() + " page: " + problem);
    }
}

package com.cleversync.clever;

/** A Clever response that is not a usable list page (malformed, truncated, or a cursor that does not advance): retried like an outage. */
public class InvalidPageException extends CleverUnavailableException {
    public InvalidPageException(String message) {
        super(message);
    }
}

package com.cleversync.clever;

/** A Clever response that is not a usable list page (malformed, truncated, or a cursor that does not advance). */
public class InvalidPageException extends RuntimeException {
    public InvalidPageException(String message) {
        super(message);
    }
}

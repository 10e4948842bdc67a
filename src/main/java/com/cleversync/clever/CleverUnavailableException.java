package com.cleversync.clever;

/** Clever failed in a way worth retrying: 5xx, a rotated token, a dropped or malformed response. */
public class CleverUnavailableException extends RuntimeException {
    public CleverUnavailableException(String message) {
        super(message);
    }
}

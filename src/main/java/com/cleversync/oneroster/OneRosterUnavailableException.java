package com.cleversync.oneroster;

/**
 * OneRoster (or its token endpoint) failed in a way worth trying again later: the connection failed or timed
 * out, or it answered 5xx or 429. The message names the URL (without query or user info) and the status, never
 * a secret or a token.
 */
public class OneRosterUnavailableException extends RuntimeException {
    public OneRosterUnavailableException(String message) {
        super(message);
    }

    public OneRosterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

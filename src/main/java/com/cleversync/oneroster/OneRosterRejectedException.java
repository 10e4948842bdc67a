package com.cleversync.oneroster;

/**
 * OneRoster (or its token endpoint) refused the request, or answered something unusable, in a way that asking
 * again cannot fix: wrong client credentials ({@code invalid_client}), a scope the client may not have, a URL
 * that is not what it was configured to be. Someone has to fix the configuration. The message names the URL
 * (without query or user info), the status and the provider's error code, never a secret or a token.
 */
public class OneRosterRejectedException extends RuntimeException {
    public OneRosterRejectedException(String message) {
        super(message);
    }

    public OneRosterRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}

package com.cleversync.clever;

/** Clever refused the request (400, 401 after re-reading the token, 404, 413 …): retrying cannot help. */
public class CleverRejectedException extends RuntimeException {
    public CleverRejectedException(String message) {
        super(message);
    }
}

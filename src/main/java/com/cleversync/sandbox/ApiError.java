package com.cleversync.sandbox;

/**
 * A request the Clever API refuses with an HTTP status and a JSON {@code {"error": ...}} body; public so that a
 * {@link CleverEndpoint} served beside the roster refuses the same way.
 */
public final class ApiError extends RuntimeException {

    private final int status;

    public ApiError(int status, String message) {
        // no stack trace: these are expected answers (bad limit, unknown id), not failures
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}

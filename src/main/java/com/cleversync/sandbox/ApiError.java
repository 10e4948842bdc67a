package com.cleversync.sandbox;

/** A request the API refuses with an HTTP status and a JSON {@code {"error": ...}} body. */
final class ApiError extends RuntimeException {

    private final int status;

    ApiError(int status, String message) {
        // no stack trace: these are expected answers (bad limit, unknown id), not failures
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}

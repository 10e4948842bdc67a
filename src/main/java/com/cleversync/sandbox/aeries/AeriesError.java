package com.cleversync.sandbox.aeries;

/** A request Aeries refuses: an HTTP status and a {@code {"Message": …}} body. */
final class AeriesError extends RuntimeException {

    private final int status;

    AeriesError(int status, String message) {
        // no stack trace: these are expected answers, not failures
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}

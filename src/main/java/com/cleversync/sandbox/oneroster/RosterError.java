package com.cleversync.sandbox.oneroster;

/**
 * A request the provider refuses with an HTTP status and a OneRoster status payload: {@code imsx_codeMajor}
 * {@code failure}, a code minor from the spec's vocabulary (e.g. {@code invalid_filter_field},
 * {@code unknown_object}) and a description a client can show to say why.
 */
final class RosterError extends RuntimeException {

    private final int status;
    private final String codeMinor;

    RosterError(int status, String codeMinor, String description) {
        // no stack trace: these are expected answers, not failures
        super(description, null, false, false);
        this.status = status;
        this.codeMinor = codeMinor;
    }

    int status() {
        return status;
    }

    String codeMinor() {
        return codeMinor;
    }
}

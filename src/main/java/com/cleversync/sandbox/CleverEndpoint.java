package com.cleversync.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * A part of the Clever API the {@link CleverSandbox} serves beside the roster, such as v3.1 attendance: its requests
 * pass the same bearer token, the same per-token rate limit and the same {@link SandboxFaults} as the roster's lists
 * (every request it serves counts as a list request), and are then answered here.
 */
public interface CleverEndpoint {

    /** Whether this endpoint serves the path: its percent-decoded segments, e.g. {@code [v3.1, attendance, schools, <id>]}. */
    boolean serves(List<String> path);

    /**
     * Validates a GET and returns its 200 body, not yet written; a refusal is thrown as {@link ApiError}. The body
     * is written once for an ordinary answer, and rendered to cut it when a fault drops or truncates it: it must
     * be one JSON object whose first array-valued field holds the records (see {@link PageCut}).
     *
     * @param query the query parameters, the first occurrence of each name
     */
    Body answer(List<String> path, Map<String, String> query);

    /** A response body not yet written. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }
}

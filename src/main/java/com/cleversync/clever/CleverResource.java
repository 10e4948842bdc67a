package com.cleversync.clever;

/**
 * The district-wide lists a full sync pages through, in the order they are synced: schools, terms
 * and courses first so that rows referencing them arrive after them.
 */
public enum CleverResource {
    SCHOOLS("schools", "/schools"),
    TERMS("terms", "/terms"),
    COURSES("courses", "/courses"),
    TEACHERS("teachers", "/users?role=teacher"),
    STAFF("staff", "/users?role=staff"),
    STUDENTS("students", "/users?role=student"),
    SECTIONS("sections", "/sections");

    public static final String API_VERSION = "/v3.0";

    private final String label;
    private final String listPath;

    CleverResource(String label, String listPath) {
        this.label = label;
        this.listPath = listPath;
    }

    /** Short lower-case name used in logs, metrics and {@code sync_rejects.resource}. */
    public String label() {
        return label;
    }

    /** Relative URI of the first page, e.g. {@code /v3.0/users?role=student&limit=10000}. */
    public String firstPage(int pageSize) {
        return API_VERSION + listPath + (listPath.contains("?") ? "&" : "?") + "limit=" + pageSize;
    }
}

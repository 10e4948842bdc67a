package com.cleversync.clever;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What CleverSync reads from Clever: the district-wide lists a full sync pages through ({@link #LISTS},
 * in the order they are synced: schools, terms and courses first so that rows referencing them
 * arrive after them), and the events feed of the incremental sync.
 */
public enum CleverResource {
    SCHOOLS("schools", "/schools"),
    TERMS("terms", "/terms"),
    COURSES("courses", "/courses"),
    TEACHERS("teachers", "/users?role=teacher"),
    STAFF("staff", "/users?role=staff"),
    STUDENTS("students", "/users?role=student"),
    SECTIONS("sections", "/sections"),
    EVENTS("events", "/events");

    public static final String API_VERSION = "/v3.0";

    /** The lists of a full sync, in sync order (a checkpoint relies on this order). */
    public static final List<CleverResource> LISTS = List.of(SCHOOLS, TERMS, COURSES, TEACHERS, STAFF, STUDENTS, SECTIONS);

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

    public static CleverResource ofLabel(String label) {
        for (CleverResource r : values()) {
            if (r.label.equals(label)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no Clever resource " + label);
    }

    /** Relative URI of the first page, e.g. {@code /v3.0/users?role=student&limit=10000}. */
    public String firstPage(int pageSize) {
        return API_VERSION + listPath + (listPath.contains("?") ? "&" : "?") + "limit=" + pageSize;
    }

    /** Relative URI of the page after the record {@code startingAfter} (null: the first page). */
    public String pageAfter(int pageSize, String startingAfter) {
        return startingAfter == null ? firstPage(pageSize)
                : firstPage(pageSize) + "&starting_after=" + URLEncoder.encode(startingAfter, StandardCharsets.UTF_8);
    }
}

package com.cleversync.clever;

import com.cleversync.school.SchoolTable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

/**
 * What CleverSync reads from Clever: the district-wide lists a full sync pages through ({@link #LISTS},
 * in the order they are synced: schools, terms and courses first so that rows referencing them
 * arrive after them), and the events feed of the incremental sync.
 */
public enum CleverResource {
    SCHOOLS("schools", "/schools", SchoolTable.SCHOOLS),
    TERMS("terms", "/terms", SchoolTable.TERMS),
    COURSES("courses", "/courses", SchoolTable.COURSES),
    TEACHERS("teachers", "/users?role=teacher", SchoolTable.TEACHERS),
    STAFF("staff", "/users?role=staff", SchoolTable.STAFF),
    STUDENTS("students", "/users?role=student", SchoolTable.STUDENTS),
    SECTIONS("sections", "/sections", SchoolTable.SECTIONS),
    EVENTS("events", "/events", null),
    /** A school's attendance (v3.1, early access): bare records without id, read by date range. */
    ATTENDANCE("attendance", "/attendance/schools/", SchoolTable.ATTENDANCE);

    public static final String API_VERSION = "/v3.0";
    /** The version of the attendance API. */
    public static final String ATTENDANCE_VERSION = "/v3.1";

    /** The lists of a full sync, in sync order (a checkpoint relies on this order). */
    public static final List<CleverResource> LISTS = List.of(SCHOOLS, TERMS, COURSES, TEACHERS, STAFF, STUDENTS, SECTIONS);
    private static final List<String> LIST_LABELS = LISTS.stream().map(CleverResource::label).toList();

    private final String label;
    private final String listPath;
    private final SchoolTable table;

    CleverResource(String label, String listPath, SchoolTable table) {
        this.label = label;
        this.listPath = listPath;
        this.table = table;
    }

    /** The school-database table a list's records go to (null for the events feed). */
    public SchoolTable table() {
        return table;
    }

    /** The labels of {@link #LISTS}, in sync order: the order a resumed full sync's checkpoint relies on. */
    public static List<String> listLabels() {
        return LIST_LABELS;
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

    /**
     * Relative URI of the first page of a school's attendance between two dates, both included, e.g.
     * {@code /v3.1/attendance/schools/5a…/?date_range_start=2025-09-01&date_range_end=2025-09-07&limit=1000}.
     * The next pages follow the answer's cursor.
     */
    public static String attendancePage(String schoolId, LocalDate from, LocalDate to, int limit) {
        return ATTENDANCE_VERSION + ATTENDANCE.listPath + URLEncoder.encode(schoolId, StandardCharsets.UTF_8)
                + "?date_range_start=" + from + "&date_range_end=" + to + "&limit=" + limit;
    }

    /** Relative URI of the page after the record {@code startingAfter} (null: the first page). */
    public String pageAfter(int pageSize, String startingAfter) {
        return startingAfter == null ? firstPage(pageSize)
                : firstPage(pageSize) + "&starting_after=" + URLEncoder.encode(startingAfter, StandardCharsets.UTF_8);
    }
}

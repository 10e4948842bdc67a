package com.cleversync.sandbox.oneroster;

/**
 * The collections served, each with its path segment and the root keys of its answers: the object type, plural
 * for a list and singular for one record. The convenience collections answer with the type they hold
 * ({@code /schools} with {@code orgs}, {@code /students} with {@code users}, {@code /terms} with
 * {@code academicSessions}).
 */
enum RosterCollection {
    ORGS("orgs", "orgs", "org"),
    SCHOOLS("schools", "orgs", "org"),
    ACADEMIC_SESSIONS("academicSessions", "academicSessions", "academicSession"),
    TERMS("terms", "academicSessions", "academicSession"),
    COURSES("courses", "courses", "course"),
    CLASSES("classes", "classes", "class"),
    USERS("users", "users", "user"),
    STUDENTS("students", "users", "user"),
    TEACHERS("teachers", "users", "user"),
    ENROLLMENTS("enrollments", "enrollments", "enrollment");

    private final String path;
    private final String listKey;
    private final String recordKey;

    RosterCollection(String path, String listKey, String recordKey) {
        this.path = path;
        this.listKey = listKey;
        this.recordKey = recordKey;
    }

    /** The collection at this path segment, or null. */
    static RosterCollection at(String segment) {
        for (RosterCollection collection : values()) {
            if (collection.path.equals(segment)) {
                return collection;
            }
        }
        return null;
    }

    String listKey() {
        return listKey;
    }

    String recordKey() {
        return recordKey;
    }
}

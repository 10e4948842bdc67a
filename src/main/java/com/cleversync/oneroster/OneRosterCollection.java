package com.cleversync.oneroster;

import com.cleversync.school.SchoolTable;
import java.util.List;

/**
 * What CleverSync reads from a OneRoster provider (1.1 or 1.2), in the order a full sync reads it:
 * the schools, sessions and courses that the other records refer to before the users, classes and
 * enrollments that refer to them.
 *
 * <p>A collection's {@link #path() path segment} is also the root key of its page's envelope
 * ({@code GET …/users} answers {@code {"users": […]}}) and the list's name in checkpoints.
 */
public enum OneRosterCollection {
    ORGS("orgs", SchoolTable.SCHOOLS),
    ACADEMIC_SESSIONS("academicSessions", SchoolTable.TERMS),
    COURSES("courses", SchoolTable.COURSES),
    USERS("users", SchoolTable.STUDENTS, SchoolTable.TEACHERS, SchoolTable.STAFF),
    CLASSES("classes", SchoolTable.SECTIONS),
    ENROLLMENTS("enrollments", SchoolTable.SECTION_STUDENTS, SchoolTable.SECTION_TEACHERS);

    /** The collections of a full sync, in sync order (a checkpoint relies on this order). */
    public static final List<OneRosterCollection> LISTS = List.of(values());
    private static final List<String> LABELS = LISTS.stream().map(OneRosterCollection::label).toList();

    private final String path;
    private final List<SchoolTable> tables;

    OneRosterCollection(String path, SchoolTable... tables) {
        this.path = path;
        this.tables = List.of(tables);
    }

    /** The URL segment under the version's root, e.g. {@code academicSessions}; also the envelope's root key. */
    public String path() {
        return path;
    }

    /** The list's name in checkpoints, logs and {@code SourcePage.Listed}: its path. */
    public String label() {
        return path;
    }

    /** The school tables this collection's records go to: a user's role, an enrollment's role decides which. */
    public List<SchoolTable> tables() {
        return tables;
    }

    /** The labels of {@link #LISTS}, in sync order. */
    public static List<String> labels() {
        return LABELS;
    }

    public static OneRosterCollection ofLabel(String label) {
        for (OneRosterCollection collection : values()) {
            if (collection.path.equals(label)) {
                return collection;
            }
        }
        throw new IllegalArgumentException("no OneRoster collection " + label);
    }
}

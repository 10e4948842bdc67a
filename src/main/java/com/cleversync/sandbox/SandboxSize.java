package com.cleversync.sandbox;

/**
 * Sizes and seed of a generated district. Every count is the number of generated records of that kind;
 * {@code studentsPerSection} is the mean section size (actual sizes vary by about ±40 %).
 */
public record SandboxSize(int schools, int students, int teachers, int staff, int sections,
                          int studentsPerSection, int terms, int courses, long seed) {

    public SandboxSize {
        // every user and section is assigned to school "index % schools", so a district needs a school
        if (schools < 1) {
            throw new IllegalArgumentException("a district needs at least one school");
        }
        if (students < 0 || teachers < 0 || staff < 0 || sections < 0 || studentsPerSection < 0
                || terms < 0 || courses < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }

    /** The district behind the zero-config demo: small enough to sync in seconds, big enough to page. */
    public static SandboxSize demo() {
        return new SandboxSize(4, 600, 40, 8, 120, 20, 2, 30, 42L);
    }
}

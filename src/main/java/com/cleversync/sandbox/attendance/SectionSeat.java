package com.cleversync.sandbox.attendance;

/**
 * The class a student sits in a period: a Clever section of the district when the student's sections have one in
 * that period, otherwise a section only the SIS knows (its number generated, no Clever id).
 *
 * @param cleverId      the Clever section's id, or null for a SIS-only section
 * @param sectionNumber Aeries' numeric {@code SectionNumber}: the Clever section's {@code section_number} when
 *                      numeric, else a generated one
 */
public record SectionSeat(String cleverId, int sectionNumber) {
}

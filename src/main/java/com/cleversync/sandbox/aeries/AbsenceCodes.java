package com.cleversync.sandbox.aeries;

import com.cleversync.sandbox.attendance.AttendanceMark;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.EnumMap;
import java.util.Map;

/**
 * Each school's absence codes: its own letter for each {@code TypeCode}. Schools of even index use one set of
 * letters and schools of odd index another, in which the same letters mean other things ("A" is an unverified
 * absence at one and an unexcused one at the other, "T" a tardy at one and an excused tardy at the other), so a
 * client that reads the status from the letter rather than from {@code TypeCode} is caught at once.
 */
final class AbsenceCodes {

    private static final Map<AttendanceMark, String> EVEN = letters("A", "E", "U", "V", "T", "P", "X", "L");
    private static final Map<AttendanceMark, String> ODD = letters("U", "X", "A", "S", "L", "P", "T", "Z");

    private AbsenceCodes() {
    }

    /** The school's letter for a mark. */
    static String letter(int schoolIndex, AttendanceMark mark) {
        return (schoolIndex % 2 == 0 ? EVEN : ODD).get(mark);
    }

    /** What {@code GET /api/v5/schools/{SchoolCode}/AbsenceCodes} answers, in TypeCode order. */
    static ArrayNode of(int schoolIndex, int schoolCode) {
        ArrayNode codes = JsonNodeFactory.instance.arrayNode();
        for (AttendanceMark mark : AttendanceMark.values()) {
            ObjectNode code = codes.addObject();
            code.put("SchoolCode", schoolCode);
            code.put("AbsenceCode", letter(schoolIndex, mark));
            code.put("Title", title(mark));
            code.put("Abbreviation", title(mark).length() > 6 ? title(mark).substring(0, 6) : title(mark));
            code.put("TypeCode", mark.typeCode());
            code.put("TypeDescription", title(mark));
            // absences are what ADA (average daily attendance) does not count; tardy students were there
            code.put("CountsForADA", !"absent".equals(mark.cleverStatus()));
        }
        return codes;
    }

    private static String title(AttendanceMark mark) {
        return switch (mark) {
            case UNVERIFIED_ABSENCE -> "Unverified Absence";
            case EXCUSED_ABSENCE -> "Excused Absence";
            case UNEXCUSED_ABSENCE -> "Unexcused Absence";
            case VERIFIED_NOT_ABSENT -> "Verified Not Absent";
            case TARDY -> "Tardy";
            case PRESENT -> "Present";
            case EXCUSED_TARDY -> "Excused Tardy";
            case UNEXCUSED_TARDY -> "Unexcused Tardy";
        };
    }

    /** Letters in the order of {@link AttendanceMark#values()}. */
    private static Map<AttendanceMark, String> letters(String... letters) {
        Map<AttendanceMark, String> map = new EnumMap<>(AttendanceMark.class);
        AttendanceMark[] marks = AttendanceMark.values();
        for (int i = 0; i < marks.length; i++) {
            map.put(marks[i], letters[i]);
        }
        return map;
    }
}

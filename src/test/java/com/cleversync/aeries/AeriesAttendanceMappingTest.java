package com.cleversync.aeries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cleversync.school.SchoolRecord;
import com.cleversync.school.SchoolTable;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Aeries attendance as attendance rows: status and excuse from the letter's TypeCode in the school's own codes,
 * daily and period ids of the Clever student, unmatched students and unknown letters rejected, and days corrected to
 * present archived.
 */
class AeriesAttendanceMappingTest {
    private static final LocalDate DAY = LocalDate.of(2025, 9, 22);
    /** The sandbox's even schools' letters, in TypeCode order 1, 2, 3, 4, 5, 6, 8, 9. */
    private static final String EVEN = "[" + codes("A", "E", "U", "V", "T", "P", "X", "L") + "]";
    /** Its odd schools': "A" is an unexcused absence there, "T" an excused tardy. */
    private static final String ODD = "[" + codes("U", "X", "A", "S", "L", "P", "T", "Z") + "]";

    private static String codes(String... letters) {
        int[] types = {1, 2, 3, 4, 5, 6, 8, 9};
        StringBuilder json = new StringBuilder();
        for (int i = 0; i < letters.length; i++) {
            json.append(i == 0 ? "" : ",").append("{\"SchoolCode\":100,\"AbsenceCode\":\"").append(letters[i])
                    .append("\",\"Title\":\"t\",\"TypeCode\":").append(types[i]).append(",\"CountsForADA\":true}");
        }
        return json.toString();
    }

    private static AeriesAbsenceCodes parseCodes(String json) {
        return AeriesAbsenceCodes.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static AeriesAttendanceMapping mapping(String codes) {
        return new AeriesAttendanceMapping("school-1", parseCodes(codes), AeriesStudentMatch.SIS_ID,
                Map.of("99400001", "clever-s1"), Map.of("1118", "clever-sec-1118"));
    }

    private static AeriesAttendanceDay daily(String letter) {
        String raw = "{\"CalendarDate\":\"2025-09-22T00:00:00\",\"AllDayAttendanceCode\":\"" + letter + "\",\"Classes\":[]}";
        return new AeriesAttendanceDay("99400001", DAY, letter, List.of(), raw);
    }

    @ParameterizedTest(name = "TypeCode {1} ({0} at an even school) is {2}, excuse {3}")
    @CsvSource(nullValues = "null", value = {
            "A, 1, absent, unverified",
            "E, 2, absent, excused",
            "U, 3, absent, unexcused",
            "V, 4, present, null",
            "T, 5, tardy, null",
            "P, 6, present, null",
            "X, 8, tardy, excused",
            "L, 9, tardy, unexcused"})
    void eachTypeCodeHasItsStatusAndExcuse(String letter, int typeCode, String status, String excuse) {
        SchoolRecord record = mapping(EVEN).map(daily(letter)).get(0);

        assertThat(AeriesAbsenceType.of(typeCode).status()).isEqualTo(status);
        assertThat(record.rejected()).isFalse();
        assertThat(Arrays.asList(record.values())).containsExactly("clever-s1/2025-09-22/daily", "clever-s1", DAY,
                null, null, status, excuse, "aeries", "99400001");
        assertThat(record.table()).isEqualTo(SchoolTable.ATTENDANCE);
        assertThat(record.id()).isEqualTo("clever-s1/2025-09-22/daily");
        assertThat(record.schools()).isEqualTo(Set.of("school-1"));
        assertThat(record.rawJson()).isEqualTo(daily(letter).rawJson());
    }

    @Test
    void theSameLetterMeansWhatEachSchoolSaysItMeans() {
        assertThat(status(EVEN, "A")).containsExactly("absent", "unverified");
        assertThat(status(ODD, "A")).containsExactly("absent", "unexcused");
        assertThat(status(EVEN, "T")).containsExactly("tardy", null);
        assertThat(status(ODD, "T")).containsExactly("tardy", "excused");
        assertThat(status(EVEN, "U")).containsExactly("absent", "unexcused");
        assertThat(status(ODD, "U")).containsExactly("absent", "unverified");
        assertThat(status(EVEN, "X")).containsExactly("tardy", "excused");
        assertThat(status(ODD, "X")).containsExactly("absent", "excused");
    }

    private static List<Object> status(String codes, String letter) {
        Object[] values = mapping(codes).map(daily(letter)).get(0).values();
        return Arrays.asList(values[5], values[6]);
    }

    @Test
    void aDayGivesItsDailyRecordThenOneRecordPerClassWithACode() {
        String first = "{\"SectionNumber\":1118,\"Period\":\"1\",\"AttendanceCode\":\"T\"}";
        String second = "{\"SectionNumber\":9000105,\"Period\":\"3\",\"AttendanceCode\":\"E\"}";
        AeriesAttendanceDay day = new AeriesAttendanceDay("99400001", DAY, "", List.of(
                new AeriesAttendanceDay.Class("1118", "1", "T", first),
                new AeriesAttendanceDay.Class("1119", "2", "", "{}"),
                new AeriesAttendanceDay.Class("9000105", "3", "E", second)), "{…}");

        List<SchoolRecord> records = mapping(EVEN).map(day);

        assertThat(records).extracting(SchoolRecord::id)
                .containsExactly("clever-s1/2025-09-22/p1", "clever-s1/2025-09-22/p3");
        assertThat(Arrays.asList(records.get(0).values())).containsExactly("clever-s1/2025-09-22/p1", "clever-s1", DAY,
                "clever-sec-1118", "1", "tardy", null, "aeries", "99400001");
        // a section Clever does not have: no section_id, its SectionNumber kept in raw_json
        assertThat(Arrays.asList(records.get(1).values())).containsExactly("clever-s1/2025-09-22/p3", "clever-s1", DAY,
                null, "3", "absent", "excused", "aeries", "99400001");
        assertThat(records.get(0).rawJson()).isEqualTo(first);
        assertThat(records.get(1).rawJson()).isEqualTo(second);

        AeriesAttendanceDay both = new AeriesAttendanceDay("99400001", DAY, "A",
                List.of(new AeriesAttendanceDay.Class("1118", "1", "A", first)), "{day}");
        assertThat(mapping(EVEN).map(both)).extracting(SchoolRecord::id)
                .containsExactly("clever-s1/2025-09-22/daily", "clever-s1/2025-09-22/p1");
        assertThat(mapping(EVEN).map(both).get(0).rawJson()).isEqualTo("{day}");
    }

    @Test
    void aDayWithoutAnyCodeIsNoRecord() {
        AeriesAttendanceDay empty = new AeriesAttendanceDay("99400001", DAY, "",
                List.of(new AeriesAttendanceDay.Class("1118", "1", "", "{}")), "{}");
        assertThat(mapping(EVEN).map(empty)).isEmpty();
        AeriesAttendanceDay unknownStudent = new AeriesAttendanceDay("123", DAY, "", List.of(), "{}");
        assertThat(mapping(EVEN).map(unknownStudent)).isEmpty();
    }

    @Test
    void anUnmatchedStudentIsRejectedWithoutItsId() {
        AeriesAttendanceDay day = new AeriesAttendanceDay("99000201", DAY, "U",
                List.of(new AeriesAttendanceDay.Class("1118", "2", "U", "{class}")), "{day}");
        AeriesAttendanceMapping byNumber = new AeriesAttendanceMapping("school-1", parseCodes(EVEN),
                AeriesStudentMatch.STUDENT_NUMBER, Map.of(), Map.of());

        List<SchoolRecord> records = byNumber.map(day);

        assertThat(records).extracting(SchoolRecord::id)
                .containsExactly("aeries:99000201/2025-09-22/daily", "aeries:99000201/2025-09-22/p2");
        assertThat(records).allSatisfy(record -> {
            assertThat(record.rejected()).isTrue();
            assertThat(record.rejectReason()).isEqualTo("no student with student_number equal to the Aeries StudentID");
            assertThat(record.values()).isNull();
            assertThat(record.schools()).isEqualTo(Set.of("school-1"));
            assertThat(record.toString()).doesNotContain("Ann");
        });
        assertThat(records).extracting(SchoolRecord::rawJson).containsExactly("{day}", "{class}");
    }

    @Test
    void aLetterTheSchoolDoesNotHaveIsRejectedNamingTheField() {
        AeriesAttendanceDay day = new AeriesAttendanceDay("99400001", DAY, "Q",
                List.of(new AeriesAttendanceDay.Class("1118", "1", "q", "{}"),
                        new AeriesAttendanceDay.Class("1118", "", "A", "{}")), "{}");
        AeriesAttendanceMapping odd = new AeriesAttendanceMapping("school-1",
                AeriesAbsenceCodes.of(Map.of("A", 3, "Q", 7)), AeriesStudentMatch.SIS_ID,
                Map.of("99400001", "clever-s1"), Map.of());

        List<SchoolRecord> records = odd.map(day);

        assertThat(records).extracting(SchoolRecord::id).containsExactly("clever-s1/2025-09-22/daily",
                "clever-s1/2025-09-22/p1", "clever-s1/2025-09-22/p?1");
        assertThat(records).extracting(SchoolRecord::rejectReason).containsExactly(
                "AllDayAttendanceCode \"Q\" is of a TypeCode Aeries does not document",
                "AttendanceCode \"q\" is not among the school's AbsenceCodes",
                "Period is missing from a class of the day");
    }

    @Test
    void theCodesAnswerIsRead() {
        AeriesAbsenceCodes even = parseCodes(EVEN);
        assertThat(even.typeCodes()).containsExactly(Map.entry("A", 1), Map.entry("E", 2), Map.entry("U", 3),
                Map.entry("V", 4), Map.entry("T", 5), Map.entry("P", 6), Map.entry("X", 8), Map.entry("L", 9));
        assertThat(even.type("X")).isEqualTo(AeriesAbsenceType.EXCUSED_TARDY);
        assertThat(even.type("x")).isNull();
        assertThat(parseCodes("[]").typeCodes()).isEmpty();
        assertThat(parseCodes("[{\"AbsenceCode\":\"A\",\"TypeCode\":1},{\"AbsenceCode\":\"A\",\"TypeCode\":1}]")
                .typeCodes()).containsExactly(Map.entry("A", 1));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{\"AbsenceCode\":\"A\"}                       | the body is not an array",
            "[1]                                           | element 0 is not an object",
            "[{\"TypeCode\":1}]                            | element 0 has no AbsenceCode text",
            "[{\"AbsenceCode\":\"\",\"TypeCode\":1}]       | element 0 has no AbsenceCode text",
            "[{\"AbsenceCode\":\"A\",\"TypeCode\":\"1\"}]  | element 0 has no whole-number TypeCode",
            "[{\"AbsenceCode\":\"A\",\"TypeCode\":1},{\"AbsenceCode\":\"A\",\"TypeCode\":3}] | AbsenceCode \"A\" is listed with two TypeCodes",
            "[{\"AbsenceCode\":\"A\",\"TypeCode\":1}       | the JSON is malformed or truncated at byte 33"})
    void aMalformedCodesAnswerIsRefused(String body, String problem) {
        assertThatThrownBy(() -> parseCodes(body)).isInstanceOf(InvalidAeriesAnswerException.class)
                .hasMessage("Aeries AbsenceCodes answer: " + problem);
    }

    @Test
    void theStudentMatchNamesItsColumn() {
        assertThat(AeriesStudentMatch.of("student_number")).isEqualTo(AeriesStudentMatch.STUDENT_NUMBER);
        assertThat(AeriesStudentMatch.of("STATE-ID")).isEqualTo(AeriesStudentMatch.STATE_ID);
        assertThat(AeriesStudentMatch.SIS_ID.column()).isEqualTo("sis_id");
        assertThatThrownBy(() -> AeriesStudentMatch.of("email"))
                .hasMessage("the student match must be one of sis_id, student_number or state_id");
    }
}

package com.cleversync.aeries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading an Aeries attendance answer: days and classes with their raw JSON byte for byte, and malformed bodies refused. */
class AeriesAttendancePageTest {

    private static AeriesAttendancePage parse(String body) {
        return AeriesAttendancePage.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void eachDayAndClassKeepsItsJsonExactlyAsSent() {
        String day1 = "{ \"CalendarDate\" : \"2025-09-22T00:00:00\",\"AllDayAttendanceCode\":\"A\", \"Extra\": {\"x\": [1]},"
                + "\"Classes\":[ {\"SectionNumber\": 1118, \"Period\": \"1\", \"AttendanceCode\": \"A\"},"
                + "{\"Period\":2,\"AttendanceCode\":\"\",\"SectionNumber\":\"1119\"} ]}";
        String day2 = "{\"CalendarDate\":\"2025-09-23\",\"AllDayAttendanceCode\":null,\"Classes\":null}";
        String day3 = "{\"AllDayAttendanceCode\":\"Ü\",\"CalendarDate\":\"2025-09-24T00:00:00\"}";
        String body = "[{\"AttendanceDays\":[" + day1 + ",\n " + day2 + "],\"StudentID\":99400001},"
                + "{\"StudentID\":\"100004\",\"AttendanceDays\":[" + day3 + "]},{\"StudentID\":100005,\"AttendanceDays\":[]}]";

        AeriesAttendancePage page = parse(body);

        assertThat(page.students()).isEqualTo(3);
        assertThat(page.days()).hasSize(3);
        AeriesAttendanceDay first = page.days().get(0);
        assertThat(first.studentId()).isEqualTo("99400001");
        assertThat(first.date()).isEqualTo(LocalDate.of(2025, 9, 22));
        assertThat(first.allDayCode()).isEqualTo("A");
        assertThat(first.rawJson()).isEqualTo(day1);
        assertThat(first.classes()).containsExactly(
                new AeriesAttendanceDay.Class("1118", "1", "A",
                        "{\"SectionNumber\": 1118, \"Period\": \"1\", \"AttendanceCode\": \"A\"}"),
                new AeriesAttendanceDay.Class("1119", "2", "",
                        "{\"Period\":2,\"AttendanceCode\":\"\",\"SectionNumber\":\"1119\"}"));
        AeriesAttendanceDay second = page.days().get(1);
        assertThat(second.allDayCode()).isEmpty();
        assertThat(second.classes()).isEmpty();
        assertThat(second.hasCodes()).isFalse();
        assertThat(second.rawJson()).isEqualTo(day2);
        AeriesAttendanceDay third = page.days().get(2);
        assertThat(third.studentId()).isEqualTo("100004");
        assertThat(third.rawJson()).isEqualTo(day3);
        assertThat(third.allDayCode()).isEqualTo("Ü");
        assertThat(third.toString()).isEqualTo("AeriesAttendanceDay[2025-09-24, 0 classes]");
    }

    @Test
    void anEmptyAnswerHasNoDays() {
        assertThat(parse("[]").days()).isEmpty();
        assertThat(parse(" [ ] ").students()).isZero();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "''                                                                   | the body is empty, not an array",
            "{\"StudentID\": 1}                                                   | the body is an object, not an array",
            "[\"Ann Smith\"]                                                      | element 0 is a string, not a student object",
            "[{\"StudentID\":1,\"AttendanceDays\":[]}] []                         | the body does not end after the array",
            "[{\"AttendanceDays\":[]}]                                            | element 0 has no StudentID number",
            "[{\"StudentID\":1.5,\"AttendanceDays\":[]}]                          | element 0 has no StudentID number",
            "[{\"StudentID\":1,\"AttendanceDays\":{\"a\":1}}]                     | AttendanceDays of element 0 is an object, not an array",
            "[{\"StudentID\":1,\"AttendanceDays\":[7]}]                           | day 0 of element 0 is a number, not an object",
            "[{\"StudentID\":1,\"AttendanceDays\":[{\"AllDayAttendanceCode\":\"A\"}]}] | day 0 of element 0 has no CalendarDate date",
            "[{\"StudentID\":1,\"AttendanceDays\":[{\"CalendarDate\":\"Ann Smith\"}]}] | day 0 of element 0 has no CalendarDate date",
            "[{\"StudentID\":1,\"AttendanceDays\":[{\"CalendarDate\":\"2025-02-30T00:00:00\"}]}] | day 0 of element 0 has no CalendarDate date",
            "[{\"StudentID\":1,\"AttendanceDays\":[{\"CalendarDate\":\"2025-09-22\",\"Classes\":\"A\"}]}] | Classes of day 0 of element 0 is a string, not an array",
            "[{\"StudentID\":1,\"AttendanceDays\":[{\"CalendarDate\":\"2025-09-22\",\"Classes\":[[]]}]}] | class 0 of day 0 of element 0 is an array, not an object",
    })
    void aMalformedAnswerIsRefusedSayingWhatIsWrongButNoValue(String body, String problem) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOf(InvalidAeriesAnswerException.class)
                .hasMessage("Aeries attendance answer: " + problem);
    }

    @Test
    void aTruncatedOrBrokenAnswerIsRefusedWithoutQuotingIt() {
        String whole = "[{\"StudentID\":99400001,\"AttendanceDays\":[{\"CalendarDate\":\"2025-09-22T00:00:00\","
                + "\"AllDayAttendanceCode\":\"A\",\"Classes\":[]}]}]";
        for (int cut = 1; cut < whole.length(); cut++) {
            String truncated = whole.substring(0, cut);
            assertThatThrownBy(() -> parse(truncated)).as("cut at %d", cut)
                    .isInstanceOf(InvalidAeriesAnswerException.class)
                    .hasMessageNotContaining("99400001");
        }
        assertThatThrownBy(() -> parse("[{\"StudentID\": Ann Smith}]"))
                .isInstanceOf(InvalidAeriesAnswerException.class)
                .hasMessageStartingWith("Aeries attendance answer: the JSON is malformed or truncated at byte ")
                .hasMessageNotContaining("Ann").hasMessageNotContaining("Smith");
    }
}

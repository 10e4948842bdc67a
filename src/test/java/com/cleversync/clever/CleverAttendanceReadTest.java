package com.cleversync.clever;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxSize;
import com.cleversync.sandbox.attendance.AttendanceRecord;
import com.cleversync.sandbox.attendance.AttendanceSchool;
import com.cleversync.sandbox.attendance.AttendanceSettings;
import com.cleversync.sandbox.attendance.AttendanceYear;
import com.cleversync.sandbox.attendance.CleverAttendance;
import com.cleversync.school.SchoolRecord;
import com.cleversync.school.SchoolTable;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clever's v3.1 attendance read and mapped as the schools store it, against the Clever sandbox over
 * loopback: pages of bare records without id followed by their opaque cursor, each record keyed by
 * student, date and section, exactly the sandbox's year for the range; a record that cannot be stored
 * is a reject naming the field.
 */
class CleverAttendanceReadTest {
    private static final String TOKEN = "attendance-read-token";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Function<CleverRecord, ?> reader = new CleverRecords(new OmittedFields(List.of()))
            .reader(CleverResource.ATTENDANCE);
    private CleverSandbox sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void aSchoolsAttendanceForARangeIsReadPageByPageAndMappedToItsRows() throws Exception {
        SandboxDistrict district = new SandboxDistrict(SandboxSize.demo());
        district.clock(Clock.fixed(Instant.parse("2025-10-01T12:00:00Z"), ZoneOffset.UTC));
        AttendanceYear year = new AttendanceYear(district, AttendanceSettings.defaults());
        sandbox = CleverSandbox.start(district, TOKEN, 0, 1_000_000);
        sandbox.serve(new CleverAttendance(year));
        AttendanceSchool school = year.schools().get(2);
        LocalDate from = LocalDate.of(2025, 9, 22);
        LocalDate to = LocalDate.of(2025, 9, 26);

        List<SchoolRecord> rows = new ArrayList<>();
        int pages = 0;
        for (String page = CleverResource.attendancePage(school.cleverId(), from, to, 100); page != null; pages++) {
            CleverPage<?> read = CleverPage.parse(CleverResource.ATTENDANCE, page, get(page), castReader());
            read.items().forEach(item -> rows.add((SchoolRecord) item));
            page = read.next();
        }

        List<String> expected = new ArrayList<>();
        for (LocalDate day : year.schoolDays(from, to)) {
            for (AttendanceRecord r : year.day(school, day)) {
                if (r.student().inClever() && (r.isDaily() || r.section().cleverId() != null)) {
                    String id = r.student().cleverId() + "/" + day + "/" + (r.isDaily() ? "daily" : r.section().cleverId());
                    expected.add(String.join("|", id, r.student().cleverId(), day.toString(),
                            r.isDaily() ? "-" : r.section().cleverId(), r.cleverStatus(), school.cleverId()));
                }
            }
        }
        assertThat(pages).as("several pages, followed by their cursor").isGreaterThan(1);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.table()).isEqualTo(SchoolTable.ATTENDANCE);
            assertThat(row.rejected()).as(row.rejectReason()).isFalse();
            assertThat(row.values()[7]).isEqualTo("clever");
            assertThat(row.rawJson()).startsWith("{").contains("\"student_id\"").doesNotContain("\"data\"");
        });
        assertThat(rows.stream().map(row -> String.join("|", (String) row.values()[0], (String) row.values()[1],
                row.values()[2].toString(), row.values()[3] == null ? "-" : (String) row.values()[3],
                (String) row.values()[5], row.schools().iterator().next())).toList())
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(rows.stream().map(SchoolRecord::id).distinct()).hasSameSizeAs(rows);
    }

    @Test
    void anAttendanceRecordThatCannotBeStoredIsARejectNamingTheField() {
        assertThat(map("{\"attendance_date\":\"2025-09-22\",\"attendance_status\":\"absent\",\"attendance_type\":\"daily\","
                + "\"school_id\":\"sch\"}").rejectReason()).isEqualTo("student_id is missing");
        assertThat(map("{\"student_id\":\"st\",\"attendance_date\":\"22/9/2025x\",\"attendance_status\":\"absent\","
                + "\"attendance_type\":\"daily\",\"school_id\":\"sch\"}").rejectReason()).isEqualTo("attendance_date is not a date");
        assertThat(map("{\"student_id\":\"st\",\"attendance_date\":\"2025-09-22\",\"attendance_status\":\"absent\","
                + "\"attendance_type\":\"section\",\"school_id\":\"sch\"}").rejectReason()).isEqualTo("section_id is missing");
        SchoolRecord late = map("{\"student_id\":\"st\",\"attendance_date\":\"2025-09-22\",\"attendance_status\":\"late\","
                + "\"attendance_type\":\"daily\",\"school_id\":\"sch\"}");
        assertThat(late.rejectReason()).isEqualTo("attendance_status is not present, absent or tardy");
        assertThat(late.id()).isEqualTo("st/2025-09-22/daily");
        assertThat(late.schools()).containsExactly("sch");
        SchoolRecord excused = map("{\"student_id\":\"st\",\"attendance_date\":\"2025-09-22\",\"attendance_status\":\"absent\","
                + "\"attendance_type\":\"section\",\"section_id\":\"sec\",\"excuse_code\":\"excused\",\"school_id\":\"sch\"}");
        assertThat(Arrays.asList(excused.values())).containsExactly("st/2025-09-22/sec", "st", LocalDate.of(2025, 9, 22),
                "sec", null, "absent", "excused", "clever", null);
    }

    private static SchoolRecord map(String json) {
        CleverPage<SchoolRecord> page = CleverPage.parse(CleverResource.ATTENDANCE, "/v3.1/attendance/schools/sch",
                new java.io.ByteArrayInputStream(("{\"data\":[" + json + "],\"links\":[]}").getBytes(StandardCharsets.UTF_8)),
                CleverMapping::map);
        return page.items().get(0);
    }

    @SuppressWarnings("unchecked")
    private Function<CleverRecord, Object> castReader() {
        return (Function<CleverRecord, Object>) reader;
    }

    private InputStream get(String page) throws Exception {
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + page))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}

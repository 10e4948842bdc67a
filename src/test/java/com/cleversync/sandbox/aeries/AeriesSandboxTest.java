package com.cleversync.sandbox.aeries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxFaults;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import com.cleversync.sandbox.attendance.AttendanceMark;
import com.cleversync.sandbox.attendance.AttendanceRecord;
import com.cleversync.sandbox.attendance.AttendanceSchool;
import com.cleversync.sandbox.attendance.AttendanceSettings;
import com.cleversync.sandbox.attendance.AttendanceStudent;
import com.cleversync.sandbox.attendance.AttendanceYear;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The Aeries v5 sandbox over real loopback HTTP, serving the demo district's year with the clock fixed on
 * Wednesday 1 October 2025 at noon. Student 0 has had its Clever sis_id set to a number, as in a district whose
 * Clever sis_id is the Aeries permanent id.
 */
class AeriesSandboxTest {

    private static final Instant NOW = Instant.parse("2025-10-01T12:00:00Z");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String CERT = AeriesSandbox.Settings.defaults().certificate();

    private final List<AeriesSandbox> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(AeriesSandbox::close);
    }

    private AeriesSandbox start(AeriesSandbox.Settings settings) {
        SandboxDistrict district = new SandboxDistrict(SandboxSize.demo());
        district.clock(Clock.fixed(NOW, ZoneOffset.UTC));
        String first = district.records(SandboxResource.STUDENTS).findFirst().orElseThrow().get("id").asText();
        ObjectNode student = district.record(SandboxResource.STUDENTS, first).orElseThrow();
        ((ObjectNode) student.get("roles").get("student")).put("sis_id", "99400001");
        district.put(SandboxResource.STUDENTS, student);
        AeriesSandbox sandbox = AeriesSandbox.start(new AttendanceYear(district, AttendanceSettings.defaults()), settings);
        started.add(sandbox);
        return sandbox;
    }

    private static HttpResponse<String> get(AeriesSandbox sandbox, String path, String cert, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                .timeout(Duration.ofSeconds(20)).GET();
        if (cert != null) {
            request.header("AERIES-CERT", cert);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(AeriesSandbox sandbox, String path) {
        return get(sandbox, path, CERT, "application/json");
    }

    private static JsonNode json(AeriesSandbox sandbox, String path) {
        HttpResponse<String> response = get(sandbox, path);
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return parse(response.body());
    }

    private static JsonNode parse(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theCertificateIsCheckedExactlyAndJsonMustBeAskedFor() {
        AeriesSandbox sandbox = start(AeriesSandbox.Settings.defaults());

        HttpResponse<String> none = get(sandbox, "/api/v5/schools", null, "application/json");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(parse(none.body()).get("Message").asText()).isNotBlank();
        HttpResponse<String> lowerCase = get(sandbox, "/api/v5/schools", CERT.toLowerCase(), "application/json");
        assertThat(lowerCase.statusCode()).isEqualTo(401);
        assertThat(lowerCase.body()).doesNotContain(CERT).doesNotContain(CERT.toLowerCase());
        assertThat(get(sandbox, "/api/v5/schools", CERT, null).statusCode()).isEqualTo(406);
        assertThat(get(sandbox, "/api/v5/schools").statusCode()).isEqualTo(200);
        assertThat(AeriesSandbox.Settings.defaults().toString()).doesNotContain(CERT);
        assertThatThrownBy(() -> AeriesSandbox.Settings.defaults().withCertificate("short"))
                .hasMessageNotContaining("short");
    }

    @Test
    void schoolsAreNegativeAttendanceWithCodesFromTheirSchoolNumbers() {
        AeriesSandbox sandbox = start(AeriesSandbox.Settings.defaults());

        JsonNode schools = json(sandbox, "/api/v5/schools");
        assertThat(schools).extracting(school -> school.get("SchoolCode").asInt()).containsExactly(100, 101, 102, 103);
        assertThat(schools).extracting(school -> school.get("AttendanceReporting").asText()).containsOnly("Negative");
        assertThat(schools).extracting(school -> school.get("AttendanceType").asText())
                .containsExactly("Daily", "Period", "Period", "Daily");
        JsonNode high = json(sandbox, "/api/v5/schools/102");
        assertThat(high).isEqualTo(schools.get(2));
        assertThat(high.get("AttendancePeriods").asInt()).isEqualTo(7);
        assertThat(json(sandbox, "/API/V5/Schools/102")).isEqualTo(high);
        assertThat(get(sandbox, "/api/v5/schools/5").statusCode()).isEqualTo(404);
        assertThat(get(sandbox, "/api/v5/schools/abc").statusCode()).isEqualTo(400);
        assertThat(get(sandbox, "/api/v5/nothing").statusCode()).isEqualTo(404);
        assertThat(parse(get(sandbox, "/api/v5/schools/5").body()).get("Message").asText()).isNotBlank();
    }

    @Test
    void absenceCodeLettersDifferPerSchoolButTypeCodesMeanTheSame() {
        AeriesSandbox sandbox = start(AeriesSandbox.Settings.defaults());

        JsonNode even = json(sandbox, "/api/v5/schools/100/AbsenceCodes");
        JsonNode odd = json(sandbox, "/api/v5/schools/101/AbsenceCodes");
        assertThat(even).extracting(code -> code.get("TypeCode").asInt()).containsExactly(1, 2, 3, 4, 5, 6, 8, 9);
        assertThat(odd).extracting(code -> code.get("TypeCode").asInt()).containsExactly(1, 2, 3, 4, 5, 6, 8, 9);
        assertThat(even).extracting(code -> code.get("AbsenceCode").asText())
                .containsExactly("A", "E", "U", "V", "T", "P", "X", "L");
        assertThat(odd).extracting(code -> code.get("AbsenceCode").asText())
                .containsExactly("U", "X", "A", "S", "L", "P", "T", "Z");
        assertThat(even.get(0).fieldNames()).toIterable().contains("AbsenceCode", "Title", "Abbreviation", "TypeCode",
                "TypeDescription", "CountsForADA");
    }

    @Test
    void studentsCarryTheThreeIdsAClientMayMatchOnAndPageByRecord() {
        AeriesSandbox sandbox = start(AeriesSandbox.Settings.defaults());
        AttendanceYear year = sandbox.year();
        List<AttendanceStudent> here = year.students(year.schools().get(0));

        JsonNode all = json(sandbox, "/api/v5/schools/100/students");
        assertThat(all).hasSize(152);
        assertThat(all.get(0).get("PermanentID").asLong()).isEqualTo(99400001L);
        assertThat(all.get(1).get("PermanentID").asLong()).isEqualTo(100004L);
        assertThat(all.get(1).get("StudentNumber").asLong()).isEqualTo(100004L);
        assertThat(all.get(1).get("StateStudentID").asText()).isEqualTo(here.get(1).stateId()).isEqualTo("7000000004");
        assertThat(all.get(150).get("PermanentID").asLong()).isEqualTo(99000000L);
        assertThat(all.get(151).get("PermanentID").asLong()).isEqualTo(99000001L);
        assertThat(here.get(151).inClever()).isFalse();

        JsonNode page = json(sandbox, "/api/v5/schools/100/students?StartingRecord=101&EndingRecord=200");
        assertThat(page).hasSize(52);
        assertThat(page.get(0)).isEqualTo(all.get(100));
        assertThat(json(sandbox, "/api/v5/schools/100/students?StartingRecord=1&EndingRecord=1")).hasSize(1);
        assertThat(get(sandbox, "/api/v5/schools/100/students?StartingRecord=0").statusCode()).isEqualTo(400);
        assertThat(get(sandbox, "/api/v5/schools/100/students?StartingRecord=5&EndingRecord=4").statusCode())
                .isEqualTo(400);
    }

    @Test
    void attendanceListsOnlyDaysWithACodeInTheSchoolsOwnLetters() {
        AeriesSandbox sandbox = start(AeriesSandbox.Settings.defaults());
        AttendanceYear year = sandbox.year();
        AttendanceSchool middle = year.schools().get(1);

        JsonNode answer = json(sandbox, "/api/v5/schools/101/attendance?StartDate=20250922&EndDate=20250926");

        int days = 0;
        for (AttendanceStudent student : year.students(middle)) {
            for (LocalDate date : year.schoolDays(LocalDate.of(2025, 9, 22), LocalDate.of(2025, 9, 26))) {
                days += year.day(student, date).isEmpty() ? 0 : 1;
            }
        }
        assertThat(answer).isNotEmpty();
        assertThat(answer).allMatch(student -> !student.get("AttendanceDays").isEmpty()
                && student.fieldNames().next().equals("StudentID"));
        int served = 0;
        for (JsonNode student : answer) {
            served += student.get("AttendanceDays").size();
        }
        assertThat(served).isEqualTo(days);

        JsonNode one = answer.get(0);
        AttendanceStudent student = year.students(middle).stream()
                .filter(s -> sandbox.studentId(s) == one.get("StudentID").asLong()).findFirst().orElseThrow();
        JsonNode day = one.get("AttendanceDays").get(0);
        LocalDate date = LocalDate.parse(day.get("CalendarDate").asText().substring(0, 10));
        assertThat(day.get("CalendarDate").asText()).endsWith("T00:00:00");
        List<AttendanceRecord> records = year.day(student, date);
        for (AttendanceRecord record : records) {
            String letter = AbsenceCodes.letter(1, record.mark());
            if (record.isDaily()) {
                assertThat(day.get("AllDayAttendanceCode").asText()).isEqualTo(letter);
            } else {
                assertThat(day.get("Classes")).anyMatch(c -> c.get("Period").asText().equals(String.valueOf(record.period()))
                        && c.get("AttendanceCode").asText().equals(letter)
                        && c.get("SectionNumber").asInt() == record.section().sectionNumber());
            }
        }
        assertThat(day.get("Classes")).hasSize((int) records.stream().filter(r -> !r.isDaily()).count());
    }

    @Test
    void aDayCorrectedToPresentDisappearsAndACorrectionToAnotherCodeChangesIt() {
        AeriesSandbox sandbox = start(AeriesSandbox.Settings.defaults());
        AttendanceYear year = sandbox.year();
        AttendanceSchool elementary = year.schools().get(0);
        AttendanceRecord absent = year.day(elementary, LocalDate.of(2025, 9, 30)).get(0);
        long id = sandbox.studentId(absent.student());
        String path = "/api/v5/schools/100/attendance/" + id + "?StartDate=20250930&EndDate=20250930";
        assertThat(json(sandbox, path).get(0).get("AttendanceDays")).hasSize(1);

        year.correct(absent.student().cleverId(), absent.date(), AttendanceYear.DAILY, AttendanceMark.EXCUSED_TARDY);
        JsonNode changed = json(sandbox, path).get(0).get("AttendanceDays").get(0);
        assertThat(changed.get("AllDayAttendanceCode").asText()).isEqualTo("X");
        assertThat(changed.get("Classes")).isEmpty();

        year.correctToPresent(absent.student().cleverId(), absent.date(), AttendanceYear.DAILY);
        JsonNode gone = json(sandbox, path);
        assertThat(gone).hasSize(1);
        assertThat(gone.get(0).get("StudentID").asLong()).isEqualTo(id);
        assertThat(gone.get(0).get("AttendanceDays")).isEmpty();
        assertThat(json(sandbox, "/api/v5/schools/100/attendance?StartDate=20250930&EndDate=20250930"))
                .noneMatch(student -> student.get("StudentID").asLong() == id);
    }

    @Test
    void sisOnlyStudentsHaveAttendanceButNoCleverCounterpart() {
        AeriesSandbox sandbox = start(AeriesSandbox.Settings.defaults());
        AttendanceYear year = sandbox.year();
        AttendanceStudent sisOnly = year.students(year.schools().get(2)).get(151);
        year.correct(sisOnly.sisId(), LocalDate.of(2025, 10, 1), AttendanceYear.DAILY, AttendanceMark.UNEXCUSED_ABSENCE);

        JsonNode answer = json(sandbox, "/api/v5/schools/102/attendance/" + sandbox.studentId(sisOnly)
                + "?StartDate=20251001&EndDate=20251001");

        assertThat(sandbox.studentId(sisOnly)).isEqualTo(99000201L);
        assertThat(answer.get(0).get("AttendanceDays").get(0).get("AllDayAttendanceCode").asText()).isEqualTo("U");
        assertThat(year.district().records(SandboxResource.STUDENTS))
                .noneMatch(s -> s.toString().contains("99000201"));
    }

    @Test
    void databaseYearDatesAndUnknownStudentsAreChecked() {
        AeriesSandbox sandbox = start(AeriesSandbox.Settings.defaults());
        String school = "/api/v5/schools/101/attendance";

        assertThat(get(sandbox, school + "?DatabaseYear=2025&StartDate=20250922&EndDate=20250926").statusCode())
                .isEqualTo(200);
        assertThat(json(sandbox, school + "?databaseyear=2025&startdate=20250922&enddate=20250926"))
                .isEqualTo(json(sandbox, school + "?StartDate=20250922&EndDate=20250926"));
        assertThat(get(sandbox, school + "?DatabaseYear=2024").statusCode()).isEqualTo(404);
        assertThat(get(sandbox, "/api/v5/schools?DatabaseYear=24").statusCode()).isEqualTo(400);
        assertThat(get(sandbox, school + "?StartDate=2025-09-22").statusCode()).isEqualTo(400);
        assertThat(get(sandbox, school + "?StartDate=20250926&EndDate=20250922").statusCode()).isEqualTo(400);
        assertThat(get(sandbox, school + "/123").statusCode()).isEqualTo(404);
        assertThat(get(sandbox, school + "/x1").statusCode()).isEqualTo(400);
        // a student of another school is not this school's
        assertThat(get(sandbox, "/api/v5/schools/100/attendance/100005").statusCode()).isEqualTo(404);
        assertThat(get(sandbox, "/api/v5/schools/101/attendance/100005").statusCode()).isEqualTo(200);
    }

    @Test
    void faultsAndThePoliteRateLimit() {
        AeriesSandbox sandbox = start(AeriesSandbox.Settings.defaults().withRequestsPerMinute(3));
        String week = "/api/v5/schools/102/attendance?StartDate=20250922&EndDate=20250926";

        sandbox.faults(new SandboxFaults(1L, 1.0, 503, 0, 0, Duration.ZERO, 0, Duration.ZERO, 0, 0, 0, -1, 1));
        HttpResponse<String> error = get(sandbox, week);
        assertThat(error.statusCode()).isEqualTo(503);
        assertThat(parse(error.body()).get("Message").asText()).isNotBlank();

        sandbox.faults(new SandboxFaults(1L, 0, 0, 0, 0, Duration.ZERO, 0, Duration.ZERO, 0, 1.0, 0, -1, 1));
        HttpResponse<String> cut = get(sandbox, week);
        assertThat(cut.statusCode()).isEqualTo(200);
        assertThat(cut.body()).startsWith("[");
        assertThatThrownBy(() -> parse(cut.body())).isInstanceOf(UncheckedIOException.class);
        assertThat(sandbox.faultsInjected()).isEqualTo(2);

        // faults spent nothing: three requests of the minute are left
        assertThat(get(sandbox, week).statusCode()).isEqualTo(200);
        assertThat(get(sandbox, "/api/v5/schools/102").statusCode()).isEqualTo(200);
        assertThat(get(sandbox, "/api/v5/schools").statusCode()).isEqualTo(200);
        HttpResponse<String> limited = get(sandbox, week);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("60");
        assertThat(sandbox.rateLimitedCount()).isEqualTo(1);
        // the window is the district clock's minute
        sandbox.year().district().clock(Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));
        assertThat(get(sandbox, week).statusCode()).isEqualTo(200);
    }
}

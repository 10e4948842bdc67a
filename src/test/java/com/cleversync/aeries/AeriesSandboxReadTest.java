package com.cleversync.aeries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import com.cleversync.sandbox.aeries.AeriesSandbox;
import com.cleversync.sandbox.attendance.AttendanceMark;
import com.cleversync.sandbox.attendance.AttendanceRecord;
import com.cleversync.sandbox.attendance.AttendanceSchool;
import com.cleversync.sandbox.attendance.AttendanceSettings;
import com.cleversync.sandbox.attendance.AttendanceStudent;
import com.cleversync.sandbox.attendance.AttendanceYear;
import com.cleversync.school.SchoolRecord;
import com.cleversync.school.SchoolTable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reading a week of attendance from the Aeries simulator over loopback HTTP, as a sync will: each school's absence
 * codes, then its attendance for the week, mapped with a student map built from the district's students by
 * {@code student_number} (the generated district's Aeries StudentID; its sis_ids are not numbers). What comes out is
 * exactly what the {@link AttendanceYear} says, with the statuses of each letter's TypeCode at a school whose letters
 * differ from the next one's; SIS-only students are rejected, and a day corrected to present disappears.
 */
class AeriesSandboxReadTest {
    private static final Instant NOW = Instant.parse("2025-10-01T12:00:00Z");
    private static final LocalDate MONDAY = LocalDate.of(2025, 9, 22);
    private static final LocalDate FRIDAY = LocalDate.of(2025, 9, 26);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String CERT = AeriesSandbox.Settings.defaults().certificate();

    private AeriesSandbox sandbox;
    private AttendanceYear year;
    private final Map<String, String> studentsByNumber = new HashMap<>();
    private final Map<String, String> sectionsByNumber = new HashMap<>();

    @BeforeEach
    void start() {
        SandboxDistrict district = new SandboxDistrict(SandboxSize.demo());
        district.clock(Clock.fixed(NOW, ZoneOffset.UTC));
        year = new AttendanceYear(district, AttendanceSettings.defaults());
        sandbox = AeriesSandbox.start(year, AeriesSandbox.Settings.defaults());
        // what the integrator will build from the school's students table by the configured column
        district.records(SandboxResource.STUDENTS).forEach(user -> studentsByNumber.put(
                user.path("roles").path("student").path("student_number").asText(), user.get("id").asText()));
        // the generated district's SectionNumber is the Clever section's section_number
        district.records(SandboxResource.SECTIONS).forEach(section -> sectionsByNumber.put(
                section.path("section_number").asText(), section.get("id").asText()));
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void aWeekOfTwoSchoolsWithDifferentLettersIsExactlyTheYear() {
        for (AttendanceSchool school : List.of(year.schools().get(0), year.schools().get(1))) {
            // a SIS-only student absent that week, whatever the draws: the SIS has it, Clever does not
            AttendanceStudent sisOnly = year.students(school).get(year.students(school).size() - 1);
            assertThat(sisOnly.inClever()).isFalse();
            year.correct(sisOnly.sisId(), FRIDAY, AttendanceYear.DAILY, AttendanceMark.UNEXCUSED_ABSENCE);
            List<SchoolRecord> read = readWeek(school);

            assertThat(byId(read)).as("school %d", school.index()).isEqualTo(expected(school));
            assertThat(read).filteredOn(r -> !r.rejected()).hasSizeGreaterThan(20);
            assertThat(read).filteredOn(SchoolRecord::rejected).isNotEmpty()
                    .allSatisfy(reject -> {
                        assertThat(reject.id()).startsWith("aeries:99");
                        assertThat(reject.rejectReason())
                                .isEqualTo("no student with student_number equal to the Aeries StudentID");
                    });
            assertThat(read).filteredOn(r -> !r.rejected()).allSatisfy(r -> assertThat(r.schools())
                    .containsExactly(school.cleverId()));
        }
        // the daily school has no class records, the period school has some with a Clever section and some without
        assertThat(readWeek(year.schools().get(0))).allMatch(r -> r.id().endsWith("/daily"));
        List<SchoolRecord> periods = readWeek(year.schools().get(1)).stream()
                .filter(r -> !r.rejected() && r.id().contains("/p")).toList();
        assertThat(periods).anyMatch(r -> r.values()[3] != null).anyMatch(r -> r.values()[3] == null);
    }

    @Test
    void aDayCorrectedToPresentDisappears() {
        AttendanceSchool elementary = year.schools().get(0);
        List<SchoolRecord> before = readWeek(elementary);
        AttendanceRecord absence = year.day(elementary, FRIDAY).stream()
                .filter(r -> r.student().inClever() && !r.correctedToPresent()).findFirst().orElseThrow();
        String id = absence.student().cleverId() + "/2025-09-26/daily";
        assertThat(before).extracting(SchoolRecord::id).contains(id);

        year.correctToPresent(absence.student().cleverId(), FRIDAY, AttendanceYear.DAILY);
        List<SchoolRecord> after = readWeek(elementary);

        List<String> stillAbsent = new ArrayList<>(before.stream().map(SchoolRecord::id).toList());
        stillAbsent.remove(id);
        assertThat(after).extracting(SchoolRecord::id).as("only the day corrected to present is gone")
                .containsExactlyInAnyOrderElementsOf(stillAbsent);
        assertThat(byId(after)).isEqualTo(expected(elementary));
    }

    @Test
    void aRefusedCertificateAndAnUnknownSchoolAreRejectedWithoutTheCertificate() {
        String wrong = CERT.toLowerCase();
        AeriesRequest codes = AeriesRequest.absenceCodes(100, null);
        assertThatThrownBy(() -> get(codes, wrong)).isInstanceOf(AeriesRejectedException.class)
                .hasMessageStartingWith("HTTP 401 from GET schools/100/AbsenceCodes: Authorization has been denied")
                .hasMessageNotContaining(wrong).hasMessageNotContaining(CERT);
        assertThatThrownBy(() -> get(AeriesRequest.absenceCodes(5, null), CERT))
                .isInstanceOf(AeriesRejectedException.class)
                .hasMessage("HTTP 404 from GET schools/5/AbsenceCodes: School not found.");
        assertThatThrownBy(() -> get(AeriesRequest.absenceCodes(100, 2024), CERT))
                .isInstanceOf(AeriesRejectedException.class).hasMessageStartingWith("HTTP 404 from GET schools/100/AbsenceCodes (DatabaseYear 2024)");
    }

    private List<SchoolRecord> readWeek(AttendanceSchool school) {
        int code = sandbox.schoolCode(school);
        AeriesAbsenceCodes codes = AeriesAbsenceCodes.parse(get(AeriesRequest.absenceCodes(code, 2025), CERT));
        AeriesAttendanceMapping mapping = new AeriesAttendanceMapping(school.cleverId(), codes,
                AeriesStudentMatch.STUDENT_NUMBER, studentsByNumber, sectionsByNumber);
        List<SchoolRecord> records = new ArrayList<>();
        for (AeriesRequest request : AeriesRequest.attendanceChunks(code, MONDAY, FRIDAY, 3, null)) {
            records.addAll(mapping.map(AeriesAttendancePage.parse(get(request, CERT))));
        }
        return records;
    }

    /** What the year says of the school's week, as id to the row's values, or to the reject's reason. */
    private Map<String, List<Object>> expected(AttendanceSchool school) {
        Map<String, List<Object>> expected = new TreeMap<>();
        for (AttendanceStudent student : year.students(school)) {
            String aeriesId = Long.toString(sandbox.studentId(student));
            for (LocalDate date : year.schoolDays(MONDAY, FRIDAY)) {
                for (AttendanceRecord record : year.day(student, date)) {
                    if (record.correctedToPresent()) {
                        continue;
                    }
                    String suffix = record.isDaily() ? "daily" : "p" + record.period();
                    if (!student.inClever()) {
                        expected.put("aeries:" + aeriesId + "/" + date + "/" + suffix,
                                List.of("no student with student_number equal to the Aeries StudentID"));
                        continue;
                    }
                    String id = student.cleverId() + "/" + date + "/" + suffix;
                    String section = record.isDaily() ? null : record.section().cleverId();
                    String period = record.isDaily() ? null : Integer.toString(record.period());
                    String[] meaning = meaning(record.mark().typeCode());
                    expected.put(id, Arrays.asList(id, student.cleverId(), date, section, period, meaning[0],
                            meaning[1], "aeries", aeriesId));
                }
            }
        }
        return expected;
    }

    /** The table of the brief, TypeCode by TypeCode. */
    private static String[] meaning(int typeCode) {
        switch (typeCode) {
            case 1: return new String[] {"absent", "unverified"};
            case 2: return new String[] {"absent", "excused"};
            case 3: return new String[] {"absent", "unexcused"};
            case 4: return new String[] {"present", null};
            case 5: return new String[] {"tardy", null};
            case 6: return new String[] {"present", null};
            case 8: return new String[] {"tardy", "excused"};
            case 9: return new String[] {"tardy", "unexcused"};
            default: throw new IllegalArgumentException("TypeCode " + typeCode);
        }
    }

    private static Map<String, List<Object>> byId(List<SchoolRecord> records) {
        Map<String, List<Object>> byId = new TreeMap<>();
        for (SchoolRecord record : records) {
            List<Object> previous = byId.put(record.id(), record.rejected() ? List.of(record.rejectReason())
                    : Arrays.asList(record.values()));
            assertThat(previous).as("record %s read twice", record.id()).isNull();
        }
        return byId;
    }

    /** The answer's body, or the failure the request classifies. */
    private InputStream get(AeriesRequest request, String certificate) {
        HttpRequest http = HttpRequest.newBuilder(request.uri(sandbox.baseUrl()))
                .header(AeriesRequest.CERTIFICATE_HEADER, certificate).header("Accept", AeriesRequest.ACCEPT)
                .timeout(Duration.ofSeconds(20)).GET().build();
        HttpResponse<byte[]> response;
        try {
            response = HTTP.send(http, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw request.failure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (response.statusCode() != 200) {
            throw request.failure(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        }
        return new ByteArrayInputStream(response.body());
    }
}

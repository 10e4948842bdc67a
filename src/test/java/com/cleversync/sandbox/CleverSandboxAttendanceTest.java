package com.cleversync.sandbox;

import static com.cleversync.sandbox.SandboxClient.link;
import static com.cleversync.sandbox.SandboxClient.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cleversync.sandbox.attendance.AttendanceMark;
import com.cleversync.sandbox.attendance.AttendanceRecord;
import com.cleversync.sandbox.attendance.AttendanceSchool;
import com.cleversync.sandbox.attendance.AttendanceSettings;
import com.cleversync.sandbox.attendance.AttendanceYear;
import com.cleversync.sandbox.attendance.CleverAttendance;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Clever's v3.1 attendance on the Clever sandbox, over real loopback HTTP, with the district's clock fixed on
 * Wednesday 1 October 2025 at noon (the year started on Monday 18 August).
 */
class CleverSandboxAttendanceTest {

    /** The demo district: 4 schools of 150 students, 120 sections. */
    private static final SandboxSize DEMO = SandboxSize.demo();
    private static final Instant NOW = Instant.parse("2025-10-01T12:00:00Z");
    private static final String TOKEN = "attendance-test-token";

    private final List<CleverSandbox> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(CleverSandbox::close);
    }

    private AttendanceYear year() {
        SandboxDistrict district = new SandboxDistrict(DEMO);
        district.clock(Clock.fixed(NOW, ZoneOffset.UTC));
        return new AttendanceYear(district, AttendanceSettings.defaults());
    }

    private SandboxClient serve(AttendanceYear year, int requestsPerMinute) {
        CleverSandbox sandbox = CleverSandbox.start(year.district(), TOKEN, 0, requestsPerMinute);
        started.add(sandbox);
        sandbox.serve(new CleverAttendance(year));
        return new SandboxClient(sandbox);
    }

    /** What Clever serves of a school: its Clever students' records, section records of Clever sections only. */
    private static List<String> expected(AttendanceYear year, AttendanceSchool school) {
        return year.schoolDays(LocalDate.of(2025, 8, 1), year.today()).stream()
                .flatMap(day -> year.day(school, day).stream())
                .filter(record -> record.student().inClever()
                        && (record.isDaily() || record.section().cleverId() != null))
                .map(CleverSandboxAttendanceTest::key).toList();
    }

    private static String key(AttendanceRecord record) {
        return record.student().cleverId() + "|" + record.date() + "|" + (record.isDaily() ? "daily" : "section")
                + "|" + (record.isDaily() ? "" : record.section().cleverId()) + "|" + record.cleverStatus();
    }

    private static String key(JsonNode record) {
        return record.get("student_id").asText() + "|" + record.get("attendance_date").asText() + "|"
                + record.get("attendance_type").asText() + "|" + record.path("section_id").asText("") + "|"
                + record.get("attendance_status").asText();
    }

    private static List<JsonNode> records(SandboxClient client, String first) {
        List<JsonNode> records = new ArrayList<>();
        client.pages(first).forEach(page -> page.get("data").forEach(records::add));
        return records;
    }

    @Test
    void aPageHoldsBareAttendanceObjectsWithoutIdInClevers31Envelope() {
        AttendanceYear year = year();
        SandboxClient client = serve(year, 1_000_000);
        AttendanceSchool high = year.schools().get(2);

        String week = "date_range_start=2025-09-22&date_range_end=2025-09-26";
        JsonNode page = client.json("/v3.1/attendance/schools/" + high.cleverId() + "?" + week + "&limit=1000");

        assertThat(page.fieldNames()).toIterable().containsExactly("data", "links");
        assertThat(link(page, "self")).isEqualTo("/v3.1/attendance/schools/" + high.cleverId() + "?" + week
                + "&limit=1000");
        assertThat(link(page, "next")).isNull();
        JsonNode daily = null;
        JsonNode section = null;
        for (JsonNode record : page.get("data")) {
            assertThat(record.has("id")).isFalse();
            assertThat(record.has("data")).isFalse();
            if (record.get("attendance_type").asText().equals("daily") && record.has("excuse_code")) {
                daily = daily == null ? record : daily;
            } else if (record.get("attendance_type").asText().equals("section")) {
                section = section == null ? record : section;
            }
        }
        assertThat(daily.fieldNames()).toIterable().containsExactly("attendance_date", "attendance_status",
                "attendance_type", "excuse_code", "student_id", "school_id", "district_id", "sis_id", "created",
                "last_modified");
        assertThat(section.fieldNames()).toIterable().contains("section_id").doesNotContain("id");
        assertThat(daily.get("school_id").asText()).isEqualTo(high.cleverId());
        assertThat(daily.get("district_id").asText()).isEqualTo(year.district().id());
        assertThat(daily.get("created").asText()).isEqualTo(daily.get("attendance_date").asText() + "T16:00:00.000Z");
        String student = daily.get("student_id").asText();
        assertThat(daily.get("sis_id").asText()).isEqualTo(year.student(student).orElseThrow().sisId());
        assertThat(List.of(page.get("data").toString())).noneMatch(text -> text.contains("\"99000"));
        assertThat(page.get("data")).extracting(CleverSandboxAttendanceTest::key)
                .containsExactlyElementsOf(expected(year, high).stream().filter(k -> {
                    String date = k.split("\\|")[1];
                    return date.compareTo("2025-09-22") >= 0 && date.compareTo("2025-09-26") <= 0;
                }).toList());
    }

    @Test
    void pagingWithTheCursorServesEveryRecordExactlyOnceAndPrevLeadsBack() {
        AttendanceYear year = year();
        SandboxClient client = serve(year, 1_000_000);
        AttendanceSchool middle = year.schools().get(1);
        String first = "/v3.1/attendance/schools/" + middle.cleverId() + "?limit=50";

        List<JsonNode> pages = client.pages(first);
        List<String> served = new ArrayList<>();
        pages.forEach(page -> page.get("data").forEach(record -> served.add(key(record))));

        List<String> expected = expected(year, middle);
        assertThat(expected).hasSizeGreaterThan(1000);
        assertThat(served).containsExactlyElementsOf(expected);
        assertThat(new HashSet<>(served)).hasSize(served.size());
        assertThat(pages).hasSize((expected.size() + 49) / 50);
        assertThat(pages.subList(0, pages.size() - 1)).allMatch(page -> page.get("data").size() == 50);

        JsonNode back = client.json(link(pages.get(2), "prev"));
        assertThat(back.get("data")).isEqualTo(pages.get(1).get("data"));
        assertThat(link(back, "next")).isEqualTo(link(pages.get(1), "next"));
    }

    @Test
    void filtersByStatusDatesAndSection() {
        AttendanceYear year = year();
        SandboxClient client = serve(year, 1_000_000);
        AttendanceSchool high = year.schools().get(2);
        String school = "/v3.1/attendance/schools/" + high.cleverId();

        List<JsonNode> tardy = records(client, school + "?attendance_status=tardy&limit=5");
        assertThat(tardy).isNotEmpty().allMatch(record -> record.get("attendance_status").asText().equals("tardy"));
        assertThat(tardy).extracting(CleverSandboxAttendanceTest::key)
                .containsExactlyElementsOf(expected(year, high).stream().filter(k -> k.endsWith("|tardy")).toList());
        assertThat(client.pages(school + "?attendance_status=tardy&limit=5").get(0).get("links").get(1).get("uri").asText())
                .startsWith(school + "?attendance_status=tardy&limit=5&starting_after=");

        List<JsonNode> week = records(client, school + "?date_range_start=2025-09-22&date_range_end=2025-09-26");
        assertThat(week).isNotEmpty().allMatch(record -> record.get("attendance_date").asText()
                .compareTo("2025-09-22") >= 0 && record.get("attendance_date").asText().compareTo("2025-09-26") <= 0);
        assertThat(week).hasSize((int) expected(year, high).stream()
                .filter(k -> k.contains("|2025-09-2") && k.split("\\|")[1].compareTo("2025-09-26") <= 0
                        && k.split("\\|")[1].compareTo("2025-09-22") >= 0).count());

        JsonNode aSection = week.stream().filter(r -> r.has("section_id")).findFirst().orElseThrow();
        String sectionId = aSection.get("section_id").asText();
        List<JsonNode> ofSection = records(client, "/v3.1/attendance/sections/" + sectionId + "?limit=3");
        assertThat(ofSection).isNotEmpty().allMatch(r -> r.get("section_id").asText().equals(sectionId)
                && r.get("attendance_type").asText().equals("section"));
        assertThat(ofSection).extracting(CleverSandboxAttendanceTest::key).containsExactlyElementsOf(
                expected(year, high).stream().filter(k -> k.contains("|section|" + sectionId + "|")).toList());
    }

    @Test
    void invalidParametersAre400Or413AndUnknownSchoolsAndSections404() {
        AttendanceYear year = year();
        SandboxClient client = serve(year, 1_000_000);
        String school = "/v3.1/attendance/schools/" + year.schools().get(1).cleverId();

        assertThat(status(client, school + "?date_range_start=2025-9-1")).isEqualTo(400);
        assertThat(status(client, school + "?date_range_end=yesterday")).isEqualTo(400);
        assertThat(status(client, school + "?date_range_start=2025-09-10&date_range_end=2025-09-09")).isEqualTo(400);
        assertThat(status(client, school + "?date_range_start=2025-09-10&date_range_end=2025-09-10")).isEqualTo(200);
        assertThat(status(client, school + "?attendance_status=excused")).isEqualTo(400);
        assertThat(status(client, school + "?limit=0")).isEqualTo(400);
        assertThat(status(client, school + "?limit=ten")).isEqualTo(400);
        assertThat(status(client, school + "?limit=1001")).isEqualTo(413);
        assertThat(status(client, school + "?limit=1000")).isEqualTo(200);
        assertThat(status(client, school + "?starting_after=not-a-cursor")).isEqualTo(400);
        String next = link(client.json(school + "?limit=2"), "next");
        String cursor = next.substring(next.indexOf("starting_after=") + "starting_after=".length());
        assertThat(status(client, school + "?starting_after=" + cursor + "&ending_before=" + cursor)).isEqualTo(400);
        HttpResponse<String> unknown = client.get("/v3.1/attendance/schools/5a10ffffffffffffffffffff");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(parse(unknown.body()).get("error").asText()).isNotBlank();
        assertThat(status(client, "/v3.1/attendance/sections/5a30ffffffffffffffffffff")).isEqualTo(404);
        assertThat(status(client, "/v3.0/attendance/schools/" + year.schools().get(1).cleverId())).isEqualTo(404);
        assertThat(client.json(school + "?limit=1").get("data")).hasSize(1);
        assertThat(client.json(school).get("data")).hasSize(100);
    }

    @Test
    void recordsOlderThanSixMonthsAreNotServed() {
        AttendanceYear year = year();
        SandboxClient client = serve(year, 1_000_000);
        year.district().clock(Clock.fixed(Instant.parse("2026-03-18T12:00:00Z"), ZoneOffset.UTC));
        AttendanceSchool high = year.schools().get(2);

        List<JsonNode> served = records(client, "/v3.1/attendance/schools/" + high.cleverId()
                + "?date_range_start=2025-08-01&date_range_end=2025-12-31&limit=1000");

        assertThat(served).isNotEmpty()
                .allMatch(record -> record.get("attendance_date").asText().compareTo("2025-09-18") >= 0);
        assertThat(served.get(0).get("attendance_date").asText()).isEqualTo("2025-09-18");
    }

    @Test
    void aCorrectionToPresentIsServedAsPresentWithItsLastModified() {
        AttendanceYear year = year();
        SandboxClient client = serve(year, 1_000_000);
        AttendanceSchool elementary = year.schools().get(0);
        AttendanceRecord absent = year.day(elementary, LocalDate.of(2025, 9, 30)).stream()
                .filter(r -> r.student().inClever()).findFirst().orElseThrow();
        year.district().clock(Clock.fixed(NOW.plusSeconds(90), ZoneOffset.UTC));
        year.correctToPresent(absent.student().cleverId(), absent.date(), AttendanceYear.DAILY);

        List<JsonNode> present = records(client, "/v3.1/attendance/schools/" + elementary.cleverId()
                + "?attendance_status=present");

        assertThat(present).hasSize(1);
        assertThat(present.get(0).get("student_id").asText()).isEqualTo(absent.student().cleverId());
        assertThat(present.get(0).get("attendance_date").asText()).isEqualTo("2025-09-30");
        assertThat(present.get(0).get("last_modified").asText()).isEqualTo("2025-10-01T12:01:30.000Z");
        assertThat(present.get(0).get("created").asText()).isEqualTo("2025-09-30T16:00:00.000Z");
        assertThat(present.get(0).has("excuse_code")).isFalse();

        year.correct(absent.student().cleverId(), absent.date(), AttendanceYear.DAILY, AttendanceMark.EXCUSED_TARDY);
        JsonNode tardy = records(client, "/v3.1/attendance/schools/" + elementary.cleverId()
                + "?date_range_start=2025-09-30&date_range_end=2025-09-30").get(0);
        assertThat(tardy.get("attendance_status").asText()).isEqualTo("tardy");
        assertThat(tardy.get("excuse_code").asText()).isEqualTo("excused");
    }

    @Test
    void attendanceNeedsTheTokenAndSharesTheRostersRateLimitAndFaults() {
        AttendanceYear year = year();
        SandboxClient client = serve(year, 3);
        CleverSandbox sandbox = started.get(0);
        String school = "/v3.1/attendance/schools/" + year.schools().get(1).cleverId();

        assertThat(client.get(school, null).statusCode()).isEqualTo(401);
        assertThat(client.get(school, "Bearer wrong").statusCode()).isEqualTo(401);

        List<Integer> statuses = new ArrayList<>();
        List<String> resets = new ArrayList<>();
        for (String uri : List.of("/v3.0/schools", school, school, school, "/v3.0/schools")) {
            HttpResponse<String> response = client.get(uri);
            statuses.add(response.statusCode());
            resets.add(response.headers().firstValue("X-RateLimit-Reset").orElseThrow());
        }
        if (resets.stream().distinct().count() == 1) {
            // all in one minute window (the window is the wall clock's: otherwise the test proves nothing)
            assertThat(statuses).containsExactly(200, 200, 200, 429, 429);
            assertThat(sandbox.rateLimitedCount()).isEqualTo(2);
        }
    }

    @Test
    void faultsHitAttendanceRequestsAsListRequests() {
        AttendanceYear year = year();
        SandboxClient client = serve(year, 1_000_000);
        CleverSandbox sandbox = started.get(0);
        String school = "/v3.1/attendance/schools/" + year.schools().get(2).cleverId() + "?limit=50";

        sandbox.faults(new SandboxFaults(1L, 1.0, 503, 0, 0, Duration.ZERO, 0, Duration.ZERO, 0, 0, 0, -1, 1));
        assertThat(status(client, school)).isEqualTo(503);
        assertThat(status(client, school)).isEqualTo(200);

        sandbox.faults(new SandboxFaults(1L, 0, 0, 0, 0, Duration.ZERO, 0, Duration.ZERO, 0, 1.0, 0, -1, 2));
        HttpResponse<String> truncated = client.get("/v3.0/schools");
        assertThat(truncated.statusCode()).isEqualTo(200);
        HttpResponse<String> cut = client.get(school);
        assertThat(cut.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> parse(cut.body())).isInstanceOf(UncheckedIOException.class);
        assertThat(cut.body()).startsWith("{\"data\":[");
        assertThat(client.json(school).get("data")).hasSize(50);
        assertThat(sandbox.faultsInjected()).isEqualTo(3);
    }

    private static int status(SandboxClient client, String uri) {
        return client.get(uri).statusCode();
    }
}

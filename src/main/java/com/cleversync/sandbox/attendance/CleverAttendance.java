package com.cleversync.sandbox.attendance;

import com.cleversync.sandbox.ApiError;
import com.cleversync.sandbox.CleverEndpoint;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Clever's v3.1 attendance (early access) over an {@link AttendanceYear}, served by the {@code CleverSandbox} beside
 * the roster: {@code GET /v3.1/attendance/schools/{school_id}} and {@code /v3.1/attendance/sections/{section_id}}.
 *
 * <p>What it serves, and the choices made where Clever's spec is silent:
 * <ul>
 *   <li>Bare {@code Attendance} objects in {@code data} (no {@code {data, uri}} wrapping, no {@code id}), in a
 *       school's order: by date, then student, then the daily record before the periods. The links are always
 *       there ({@code self}; {@code prev} when paged with a cursor; {@code next} unless it is the last page), though
 *       a client must not rely on them, since Clever's spec lets them be omitted.</li>
 *   <li>Only what Clever can know: students with a Clever record (the SIS-only ones are dropped, as Clever's SFTP
 *       import drops rows of unknown students), and period records of classes that are Clever sections.</li>
 *   <li>Absences and tardies, as the district's feed sends them; a record corrected back to present stays as a
 *       {@code present} record with the correction's {@code last_modified} (the feed's next file says so), so
 *       {@code attendance_status=present} lists exactly the corrections to present.</li>
 *   <li>Records kept 6 months: nothing dated before today less 6 months is served, whatever the range asked.</li>
 *   <li>{@code date_range_start} and {@code date_range_end} are ISO dates, both optional (from the retention's
 *       start, to today); a malformed date or a start after the end is 400, as are a malformed cursor, both cursors
 *       at once, and an unknown {@code attendance_status}. {@code limit} is 1..1000, default 100: above 1000 is 413,
 *       anything else not in range 400, as v3.0 answers its own limit.</li>
 *   <li>An unknown school or section is 404.</li>
 * </ul>
 */
public final class CleverAttendance implements CleverEndpoint {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final int RETENTION_MONTHS = 6;
    private static final Set<String> STATUSES = Set.of("present", "absent", "tardy");
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final AttendanceYear year;
    private final ObjectMapper mapper = new ObjectMapper();

    public CleverAttendance(AttendanceYear year) {
        this.year = year;
    }

    @Override
    public boolean serves(List<String> path) {
        return path.size() == 4 && path.get(0).equals("v3.1") && path.get(1).equals("attendance")
                && (path.get(2).equals("schools") || path.get(2).equals("sections"));
    }

    @Override
    public Body answer(List<String> path, Map<String, String> query) {
        String id = path.get(3);
        boolean bySection = path.get(2).equals("sections");
        AttendanceSchool school = (bySection ? year.schoolOfSection(id) : year.school(id))
                .orElseThrow(() -> new ApiError(404, "resource not found"));
        LocalDate retained = year.today().minusMonths(RETENTION_MONTHS);
        LocalDate start = date(query, "date_range_start", retained);
        LocalDate end = date(query, "date_range_end", year.today());
        if (start.isAfter(end)) {
            throw new ApiError(400, "date_range_start must not be after date_range_end");
        }
        String status = blankToNull(query.get("attendance_status"));
        if (status != null && !STATUSES.contains(status)) {
            throw new ApiError(400, "invalid attendance_status");
        }
        int limit = limit(query.get("limit"));
        String after = blankToNull(query.get("starting_after"));
        String before = blankToNull(query.get("ending_before"));
        if (after != null && before != null) {
            throw new ApiError(400, "starting_after and ending_before cannot be combined");
        }
        AttendanceCursor afterKey = after == null ? null : AttendanceCursor.parse("starting_after", after);
        AttendanceCursor beforeKey = before == null ? null : AttendanceCursor.parse("ending_before", before);

        Predicate<AttendanceRecord> served = record -> record.student().inClever()
                && (record.isDaily() ? !bySection : record.section().cleverId() != null)
                && (!bySection || id.equals(record.section().cleverId()))
                && (status == null || status.equals(record.cleverStatus()));
        List<LocalDate> days = year.schoolDays(start.isBefore(retained) ? retained : start, end);
        Page page = beforeKey == null ? forward(school, days, served, afterKey, limit)
                : backward(school, days, served, beforeKey, limit);

        StringBuilder filter = new StringBuilder();
        for (String name : List.of("date_range_start", "date_range_end", "attendance_status")) {
            String value = blankToNull(query.get(name));
            if (value != null) {
                filter.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&');
            }
        }
        String base = "/" + String.join("/", path) + "?" + filter + "limit=" + limit;
        String self = after != null ? base + "&starting_after=" + after
                : before != null ? base + "&ending_before=" + before : base;
        return out -> write(out, page, base, self, after != null || before != null);
    }

    /** Up to {@code limit} records after the cursor; one more is looked for, to know whether a next page exists. */
    private Page forward(AttendanceSchool school, List<LocalDate> days, Predicate<AttendanceRecord> served,
                         AttendanceCursor after, int limit) {
        List<AttendanceRecord> records = new ArrayList<>();
        for (LocalDate day : days) {
            if (after != null && day.toEpochDay() < after.epochDay()) {
                continue;
            }
            for (AttendanceRecord record : year.day(school, day)) {
                if (served.test(record) && (after == null || AttendanceCursor.of(record).compareTo(after) > 0)) {
                    if (records.size() == limit) {
                        return new Page(records, true);
                    }
                    records.add(record);
                }
            }
        }
        return new Page(records, false);
    }

    /** The {@code limit} records just before the cursor, in ascending order; a next page always follows them. */
    private Page backward(AttendanceSchool school, List<LocalDate> days, Predicate<AttendanceRecord> served,
                          AttendanceCursor before, int limit) {
        Deque<AttendanceRecord> records = new ArrayDeque<>();
        for (int i = days.size() - 1; i >= 0 && records.size() < limit; i--) {
            if (days.get(i).toEpochDay() > before.epochDay()) {
                continue;
            }
            List<AttendanceRecord> day = year.day(school, days.get(i));
            for (int j = day.size() - 1; j >= 0 && records.size() < limit; j--) {
                AttendanceRecord record = day.get(j);
                if (served.test(record) && AttendanceCursor.of(record).compareTo(before) < 0) {
                    records.addFirst(record);
                }
            }
        }
        return new Page(new ArrayList<>(records), !records.isEmpty());
    }

    private record Page(List<AttendanceRecord> records, boolean more) {}

    private void write(OutputStream body, Page page, String base, String self, boolean paged) throws IOException {
        try (JsonGenerator json = mapper.createGenerator(body, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeArrayFieldStart("data");
            for (AttendanceRecord record : page.records()) {
                writeRecord(json, record);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("links");
            link(json, "self", self);
            List<AttendanceRecord> records = page.records();
            if (paged && !records.isEmpty()) {
                link(json, "prev", base + "&ending_before=" + AttendanceCursor.of(records.get(0)).encoded());
            }
            if (page.more() && !records.isEmpty()) {
                link(json, "next", base + "&starting_after="
                        + AttendanceCursor.of(records.get(records.size() - 1)).encoded());
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    private void writeRecord(JsonGenerator json, AttendanceRecord record) throws IOException {
        json.writeStartObject();
        json.writeStringField("attendance_date", record.date().toString());
        json.writeStringField("attendance_status", record.cleverStatus());
        json.writeStringField("attendance_type", record.isDaily() ? "daily" : "section");
        String excuse = record.mark() == null ? null : record.mark().excuseCode();
        if (excuse != null) {
            json.writeStringField("excuse_code", excuse);
        }
        json.writeStringField("student_id", record.student().cleverId());
        json.writeStringField("school_id", record.school().cleverId());
        if (!record.isDaily()) {
            json.writeStringField("section_id", record.section().cleverId());
        }
        json.writeStringField("district_id", year.district().id());
        if (record.student().sisId() != null) {
            json.writeStringField("sis_id", record.student().sisId());
        }
        json.writeStringField("created", TIMESTAMP.format(record.created()));
        json.writeStringField("last_modified", TIMESTAMP.format(record.lastModified()));
        json.writeEndObject();
    }

    private static void link(JsonGenerator json, String rel, String uri) throws IOException {
        json.writeStartObject();
        json.writeStringField("rel", rel);
        json.writeStringField("uri", uri);
        json.writeEndObject();
    }

    private static LocalDate date(Map<String, String> query, String name, LocalDate absent) {
        String text = blankToNull(query.get(name));
        if (text == null) {
            return absent;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new ApiError(400, name + " must be a date (YYYY-MM-DD)");
        }
    }

    private static int limit(String raw) {
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        BigInteger limit;
        try {
            limit = new BigInteger(raw.trim());
        } catch (NumberFormatException e) {
            throw new ApiError(400, "limit must be an integer");
        }
        if (limit.compareTo(BigInteger.valueOf(MAX_LIMIT)) > 0) {
            throw new ApiError(413, "limit must not exceed " + MAX_LIMIT);
        }
        if (limit.signum() < 1) {
            throw new ApiError(400, "limit must be at least 1");
        }
        return limit.intValue();
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}

package com.cleversync.sandbox.aeries;

import com.cleversync.sandbox.FaultPlan;
import com.cleversync.sandbox.PageCut;
import com.cleversync.sandbox.RateLimitWindow;
import com.cleversync.sandbox.SandboxFaults;
import com.cleversync.sandbox.SandboxHandler;
import com.cleversync.sandbox.attendance.AttendanceRecord;
import com.cleversync.sandbox.attendance.AttendanceSchool;
import com.cleversync.sandbox.attendance.AttendanceStudent;
import com.cleversync.sandbox.attendance.AttendanceYear;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Serves Aeries API v5 for one district: the certificate first (a refused request spends nothing), then
 * {@code Accept: application/json}, then the {@link SandboxFaults} in force for list requests (those answered with an
 * array: all but {@code /schools/{SchoolCode}}), then the optional rate limit, then the answer. Path segments and
 * parameter names are matched without regard to case, as Aeries (IIS) does; the certificate is compared exactly.
 */
final class AeriesApi extends SandboxHandler {

    private static final Logger log = LoggerFactory.getLogger(AeriesApi.class);
    private static final String JSON_TYPE = "application/json; charset=utf-8";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuuMMdd");

    private final AttendanceYear year;
    private final AeriesDirectory directory;
    private final byte[] certificate;
    private final RateLimitWindow window;
    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicReference<FaultPlan> faults = new AtomicReference<>(new FaultPlan(SandboxFaults.none()));
    private final AtomicLong faultsInjected = new AtomicLong();
    /** Released on shutdown, so slow responses stop waiting at once. */
    private final CountDownLatch shutdown = new CountDownLatch(1);

    /** @param window the polite rate limit, or null for none (Aeries documents none) */
    AeriesApi(AttendanceYear year, String certificate, RateLimitWindow window, AtomicLong requests) {
        super("Aeries sandbox", requests);
        this.year = year;
        this.directory = new AeriesDirectory(year);
        this.certificate = certificate.getBytes(StandardCharsets.UTF_8);
        this.window = window;
    }

    AeriesDirectory directory() {
        return directory;
    }

    long rateLimitedCount() {
        return rateLimited.get();
    }

    void faults(SandboxFaults replacement) {
        faults.set(new FaultPlan(replacement));
    }

    long faultsInjected() {
        return faultsInjected.get();
    }

    void shutdown() {
        shutdown.countDown();
    }

    @Override
    protected void internalError(HttpExchange exchange) throws IOException {
        send(exchange, new AeriesError(500, "An error has occurred."));
    }

    @Override
    protected void respond(HttpExchange exchange) throws IOException {
        String given = exchange.getRequestHeaders().getFirst("AERIES-CERT");
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), certificate)) {
            send(exchange, new AeriesError(401, "Authorization has been denied for this request."));
            return;
        }
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept == null || !accept.toLowerCase(Locale.ROOT).contains("application/json")) {
            send(exchange, new AeriesError(406, "The sandbox answers JSON only: send Accept: application/json."));
            return;
        }
        String[] path = segments(exchange.getRequestURI().getRawPath());
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        boolean get = "GET".equals(exchange.getRequestMethod());
        if (get && isList(path)) {
            FaultPlan.Fault fault = faults.get().next();
            if (fault.injected() && injectFault(exchange, fault, path, query)) {
                return;
            }
        }
        if (window != null) {
            long now = year.district().now().toEpochMilli();
            RateLimitWindow.Decision decision = window.acquire(now);
            if (!decision.allowed()) {
                rateLimited.incrementAndGet();
                exchange.getResponseHeaders().set("Retry-After",
                        Long.toString(ceilSeconds(decision.resetEpochSeconds() * 1000 - now)));
                send(exchange, new AeriesError(429, "Too many requests."));
                return;
            }
        }
        try {
            if (!get) {
                exchange.getResponseHeaders().set("Allow", "GET");
                throw new AeriesError(405, "The requested resource does not support this method.");
            }
            send(exchange, 200, mapper.writeValueAsBytes(answer(path, query)));
        } catch (AeriesError e) {
            send(exchange, e);
        }
    }

    /** The 200 answer; refusals are thrown. {@code path} is lower-cased, without the leading "api/v5". */
    private Object answer(String[] path, Map<String, String> query) {
        if (path.length < 1 || !path[0].equals("schools")) {
            throw new AeriesError(404, "No HTTP resource was found that matches the request URI.");
        }
        databaseYear(query);
        if (path.length == 1) {
            ArrayNode schools = JsonNodeFactory.instance.arrayNode();
            year.schools().forEach(school -> schools.add(school(school)));
            return schools;
        }
        long code = number(path[1], "SchoolCode");
        AttendanceSchool school = (code > Integer.MAX_VALUE ? Optional.<AttendanceSchool>empty()
                : directory.school((int) code))
                .orElseThrow(() -> new AeriesError(404, "School not found."));
        if (path.length == 2) {
            return school(school);
        }
        String resource = path[2];
        if (path.length == 3 && resource.equals("absencecodes")) {
            return AbsenceCodes.of(school.index(), directory.code(school));
        }
        if (path.length == 3 && resource.equals("students")) {
            return students(school, query);
        }
        if (resource.equals("attendance") && (path.length == 3 || path.length == 4)) {
            LocalDate start = date(query, "startdate", year.settings().firstDay());
            LocalDate end = date(query, "enddate", year.today());
            if (start.isAfter(end)) {
                throw new AeriesError(400, "StartDate must not be after EndDate.");
            }
            if (path.length == 3) {
                ArrayNode all = JsonNodeFactory.instance.arrayNode();
                for (AttendanceStudent student : year.students(school)) {
                    ObjectNode days = attendance(school, student, start, end);
                    if (!days.get("AttendanceDays").isEmpty()) {
                        all.add(days);
                    }
                }
                return all;
            }
            AttendanceStudent student = directory.student(number(path[3], "StudentID"))
                    .filter(found -> found.school() == school.index())
                    .orElseThrow(() -> new AeriesError(404, "Student not found."));
            return JsonNodeFactory.instance.arrayNode().add(attendance(school, student, start, end));
        }
        throw new AeriesError(404, "No HTTP resource was found that matches the request URI.");
    }

    private ObjectNode school(AttendanceSchool school) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("SchoolCode", directory.code(school));
        node.put("Name", school.name());
        node.put("AttendanceReporting", "Negative");
        // sandbox fields (Aeries' own names for them are unconfirmed): how the school takes attendance
        node.put("AttendanceType", school.periodAttendance() ? "Period" : "Daily");
        node.put("AttendancePeriods", school.periodAttendance() ? year.settings().periodsPerDay() : 0);
        return node;
    }

    /** StartingRecord and EndingRecord count from 1 and are both included; either may be left out. */
    private ArrayNode students(AttendanceSchool school, Map<String, String> query) {
        List<AttendanceStudent> students = year.students(school);
        long first = query.containsKey("startingrecord") ? number(query.get("startingrecord"), "StartingRecord") : 1;
        long last = query.containsKey("endingrecord") ? number(query.get("endingrecord"), "EndingRecord") : Long.MAX_VALUE;
        if (first < 1 || last < first) {
            throw new AeriesError(400, "StartingRecord must be at least 1 and not after EndingRecord.");
        }
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (long i = first - 1; i < Math.min(last, students.size()); i++) {
            AttendanceStudent student = students.get((int) i);
            ObjectNode node = list.addObject();
            node.put("SchoolCode", directory.code(school));
            node.put("PermanentID", AeriesDirectory.permanentId(student));
            long number = AeriesDirectory.wholeNumber(student.studentNumber());
            if (number >= 0) {
                node.put("StudentNumber", number);
            } else {
                node.put("StudentNumber", student.studentNumber());
            }
            node.put("StateStudentID", student.stateId() == null ? "" : student.stateId());
        }
        return list;
    }

    /**
     * One student's days with a code, negative attendance: a day without absence or tardy (or corrected back to
     * present) has no entry, and a period school's day without a daily code has an empty {@code AllDayAttendanceCode}.
     */
    private ObjectNode attendance(AttendanceSchool school, AttendanceStudent student, LocalDate start, LocalDate end) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("StudentID", AeriesDirectory.permanentId(student));
        ArrayNode days = node.putArray("AttendanceDays");
        for (LocalDate date : year.schoolDays(start, end)) {
            List<AttendanceRecord> records = year.day(student, date).stream()
                    .filter(record -> !record.correctedToPresent()).toList();
            if (records.isEmpty()) {
                continue;
            }
            ObjectNode day = days.addObject();
            day.put("CalendarDate", date + "T00:00:00");
            day.put("AllDayAttendanceCode", "");
            ArrayNode classes = day.putArray("Classes");
            for (AttendanceRecord record : records) {
                String letter = AbsenceCodes.letter(school.index(), record.mark());
                if (record.isDaily()) {
                    day.put("AllDayAttendanceCode", letter);
                } else {
                    ObjectNode seat = classes.addObject();
                    seat.put("SectionNumber", record.section().sectionNumber());
                    seat.put("Period", String.valueOf(record.period()));
                    seat.put("AttendanceCode", letter);
                }
            }
        }
        return node;
    }

    /** Only the current year's database exists in the sandbox (the year of its first day). */
    private void databaseYear(Map<String, String> query) {
        String given = query.get("databaseyear");
        if (given == null) {
            return;
        }
        if (!given.matches("[0-9]{4}")) {
            throw new AeriesError(400, "DatabaseYear must be a four-digit year.");
        }
        if (Integer.parseInt(given) != year.settings().firstDay().getYear()) {
            throw new AeriesError(404, "No database for year " + given + ".");
        }
    }

    private static LocalDate date(Map<String, String> query, String name, LocalDate absent) {
        String given = query.get(name);
        if (given == null || given.isEmpty()) {
            return absent;
        }
        try {
            return LocalDate.parse(given, DATE);
        } catch (DateTimeParseException e) {
            throw new AeriesError(400, "Dates must be yyyyMMdd.");
        }
    }

    private static long number(String text, String name) {
        long value = AeriesDirectory.wholeNumber(text);
        if (value < 0) {
            throw new AeriesError(400, name + " must be a whole number.");
        }
        return value;
    }

    /** Requests answered with an array, the only ones faults are injected into (like Clever's list requests). */
    private static boolean isList(String[] path) {
        if (path.length < 1 || !path[0].equals("schools")) {
            return false;
        }
        return path.length == 1 || (path.length == 3 && List.of("absencecodes", "students", "attendance").contains(path[2]))
                || (path.length == 4 && path[2].equals("attendance"));
    }

    /** Answers with the fault, or returns false when the request is to be served normally after all. */
    private boolean injectFault(HttpExchange exchange, FaultPlan.Fault fault, String[] path, Map<String, String> query)
            throws IOException {
        switch (fault.kind()) {
            case UNAUTHORIZED -> {
                injected(fault);
                send(exchange, new AeriesError(401, "Authorization has been denied for this request."));
            }
            case RATE_LIMITED -> {
                injected(fault);
                rateLimited.incrementAndGet();
                exchange.getResponseHeaders().set("Retry-After", Long.toString(ceilSeconds(fault.delay().toMillis())));
                send(exchange, new AeriesError(429, "Too many requests."));
            }
            case SERVER_ERROR -> {
                injected(fault);
                send(exchange, new AeriesError(fault.status(), "An error has occurred."));
            }
            case SLOW -> {
                injected(fault);
                return !waitOut(fault.delay().toMillis());
            }
            case DROP, TRUNCATE -> {
                byte[] page;
                try {
                    page = mapper.writeValueAsBytes(answer(path, query));
                } catch (AeriesError e) {
                    return false;
                }
                int cut = PageCut.insideRecords(mapper.getFactory(), page, fault.cut());
                injected(fault);
                if (fault.kind() == FaultPlan.Kind.TRUNCATE) {
                    send(exchange, 200, Arrays.copyOf(page, cut));
                } else {
                    exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
                    exchange.sendResponseHeaders(200, page.length);
                    OutputStream out = exchange.getResponseBody();
                    out.write(page, 0, cut);
                    out.flush();
                    // not closed: handle() closes the exchange short of its Content-Length, which drops the connection
                }
            }
            case RESET -> injected(fault);
            case NONE -> {
                return false;
            }
        }
        return true;
    }

    private void injected(FaultPlan.Fault fault) {
        faultsInjected.incrementAndGet();
        log.debug("Aeries sandbox injected {} into list request {}", fault.kind(), fault.sequence());
    }

    private boolean waitOut(long millis) {
        try {
            return !shutdown.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long ceilSeconds(long millis) {
        return Math.floorDiv(Math.max(0, millis) + 999, 1000);
    }

    /** Lower-cased, percent-decoded segments after {@code /api/v5}; a path elsewhere gives a "not found" segment. */
    private static String[] segments(String rawPath) {
        String[] all = rawPath.substring(rawPath.startsWith("/") ? 1 : 0).split("/");
        if (all.length < 2 || !all[0].equalsIgnoreCase("api") || !all[1].equalsIgnoreCase("v5")) {
            return new String[] {"?"};
        }
        String[] path = Arrays.copyOfRange(all, 2, all.length);
        for (int i = 0; i < path.length; i++) {
            path[i] = decode(path[i]).toLowerCase(Locale.ROOT);
        }
        return path;
    }

    /** Query parameters by lower-cased name; the first occurrence wins. */
    private static Map<String, String> query(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals)).toLowerCase(Locale.ROOT);
            parameters.putIfAbsent(name, equals < 0 ? "" : decode(pair.substring(equals + 1)));
        }
        return parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "?";
        }
    }

    private void send(HttpExchange exchange, AeriesError error) throws IOException {
        send(exchange, error.status(), mapper.writeValueAsBytes(Map.of("Message", error.getMessage())));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}

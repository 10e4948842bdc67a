package com.cleversync.aeries;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One request to a district's Aeries API v5: a school's {@code AbsenceCodes}, or its attendance for a range of dates
 * (Aeries documents no paging for attendance, so a long range is asked for in {@link #attendanceChunks chunks} of
 * days). Every request is sent with {@link #CERTIFICATE_HEADER} and {@code Accept: application/json}; the certificate
 * is the caller's and never part of a request, its URL or its messages.
 *
 * @param schoolCode   the school's Aeries {@code SchoolCode}
 * @param resource     {@code AbsenceCodes} or {@code attendance}
 * @param start        the first date asked for (attendance only, else null)
 * @param end          the last date asked for, included (attendance only, else null)
 * @param databaseYear the start year of the school year ({@code DatabaseYear}), or null for the district's default
 */
public record AeriesRequest(int schoolCode, String resource, LocalDate start, LocalDate end, Integer databaseYear) {
    /** The header carrying the certificate (case-sensitive value, a secret). */
    public static final String CERTIFICATE_HEADER = "AERIES-CERT";
    public static final String ACCEPT = "application/json";
    private static final String ABSENCE_CODES = "AbsenceCodes";
    private static final String ATTENDANCE = "attendance";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuuMMdd");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** What an Aeries certificate looks like: should a message ever echo one, it is masked. */
    private static final Pattern CERTIFICATE_LIKE = Pattern.compile("(?<![A-Za-z0-9])[A-Za-z0-9]{32}(?![A-Za-z0-9])");
    private static final int MESSAGE_LIMIT = 300;

    public AeriesRequest {
        if (schoolCode < 0) {
            throw new IllegalArgumentException("an Aeries SchoolCode is not negative");
        }
        Objects.requireNonNull(resource, "resource");
        if (ATTENDANCE.equals(resource) && (start == null || end == null || start.isAfter(end))) {
            throw new IllegalArgumentException("attendance needs a start date not after its end date");
        }
    }

    /** {@code GET /api/v5/schools/{SchoolCode}/AbsenceCodes}. */
    public static AeriesRequest absenceCodes(int schoolCode, Integer databaseYear) {
        return new AeriesRequest(schoolCode, ABSENCE_CODES, null, null, databaseYear);
    }

    /** {@code GET /api/v5/schools/{SchoolCode}/attendance?StartDate=&EndDate=}, the whole school. */
    public static AeriesRequest attendance(int schoolCode, LocalDate start, LocalDate end, Integer databaseYear) {
        return new AeriesRequest(schoolCode, ATTENDANCE, start, end, databaseYear);
    }

    /**
     * The school's attendance from {@code from} to {@code to} (both included), in requests of at most {@code days}
     * days each, in date order: one answer holds every student of the school for its range, so the range bounds
     * its size.
     */
    public static List<AeriesRequest> attendanceChunks(int schoolCode, LocalDate from, LocalDate to, int days,
                                                       Integer databaseYear) {
        if (days < 1) {
            throw new IllegalArgumentException("a chunk is at least one day");
        }
        List<AeriesRequest> chunks = new ArrayList<>();
        for (LocalDate start = from; !start.isAfter(to); start = start.plusDays(days)) {
            LocalDate end = start.plusDays(days - 1L);
            chunks.add(attendance(schoolCode, start, end.isAfter(to) ? to : end, databaseYear));
        }
        return chunks;
    }

    /**
     * The request's URL.
     *
     * @param baseUrl the district's Aeries address up to and excluding {@code /api}, e.g.
     *                {@code https://aeries.district.org/aeries} (a trailing slash is ignored)
     * @throws IllegalArgumentException for an address that is not http(s), carries user info, a query, or
     *                                  already ends in {@code /api}
     */
    public URI uri(String baseUrl) {
        StringBuilder uri = new StringBuilder(base(baseUrl)).append("/api/v5/schools/").append(schoolCode)
                .append('/').append(resource);
        char separator = '?';
        if (start != null) {
            uri.append("?StartDate=").append(DATE.format(start)).append("&EndDate=").append(DATE.format(end));
            separator = '&';
        }
        if (databaseYear != null) {
            uri.append(separator).append("DatabaseYear=").append(databaseYear);
        }
        return URI.create(uri.toString());
    }

    /**
     * What to throw for a non-200 answer: {@link AeriesUnavailableException} for 5xx and 429 (ask again later),
     * {@link AeriesRejectedException} for the rest (401/403 the certificate, 404 school or year, 400 the request),
     * with Aeries' own {@code {"Message": …}} when the body has one.
     */
    public RuntimeException failure(int status, String body) {
        String failure = "HTTP " + status + " from " + this + message(body);
        if (status >= 500 || status == 429) {
            return new AeriesUnavailableException(failure);
        }
        if (status == 401 || status == 403) {
            return new AeriesRejectedException(failure + " (the certificate is refused, or may not read this)");
        }
        return new AeriesRejectedException(failure);
    }

    /** What to throw when the request could not be sent or its answer not read: always worth asking again. */
    public AeriesUnavailableException failure(IOException e) {
        return new AeriesUnavailableException(this + " failed: " + e.getClass().getSimpleName(), e);
    }

    /** For messages: school, resource and dates, e.g. {@code GET schools/101/attendance 2025-09-22..2025-09-26}. */
    @Override
    public String toString() {
        return "GET schools/" + schoolCode + "/" + resource + (start == null ? "" : " " + start + ".." + end)
                + (databaseYear == null ? "" : " (DatabaseYear " + databaseYear + ")");
    }

    private static String base(String baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        URI parsed;
        try {
            parsed = URI.create(base);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the Aeries base URL is not a URL");
        }
        if (!"http".equalsIgnoreCase(parsed.getScheme()) && !"https".equalsIgnoreCase(parsed.getScheme())
                || parsed.getHost() == null) {
            throw new IllegalArgumentException("the Aeries base URL must be http:// or https:// with a host");
        }
        if (parsed.getRawUserInfo() != null || parsed.getRawQuery() != null || parsed.getRawFragment() != null) {
            throw new IllegalArgumentException("the Aeries base URL must have no user info, query or fragment");
        }
        if (base.toLowerCase(java.util.Locale.ROOT).matches(".*/api(/v5)?")) {
            throw new IllegalArgumentException("the Aeries base URL ends before /api: leave /api/v5 out");
        }
        return base;
    }

    /** ": <Aeries' Message>", shortened and with anything like a certificate masked; "" without one. */
    private static String message(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode message = MAPPER.readTree(body).path("Message");
            if (!message.isTextual() || message.asText().isBlank()) {
                return "";
            }
            String text = CERTIFICATE_LIKE.matcher(message.asText()).replaceAll("****");
            return ": " + (text.length() > MESSAGE_LIMIT ? text.substring(0, MESSAGE_LIMIT) + "…" : text);
        } catch (IOException e) {
            return ""; // an HTML error page from a proxy: the status says enough
        }
    }
}

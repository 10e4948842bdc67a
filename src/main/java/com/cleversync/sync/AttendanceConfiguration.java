package com.cleversync.sync;

import com.cleversync.aeries.AeriesApi;
import com.cleversync.aeries.AeriesRequest;
import com.cleversync.aeries.AeriesStudentMatch;
import com.cleversync.config.CleverSyncProperties;
import com.cleversync.config.InvalidConfigurationException;
import com.cleversync.source.Secret;
import java.net.URI;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.quartz.CronExpression;

/**
 * A district's {@code attendance:} block as its attendance sync: each value checked, placeholders
 * resolved, a bad one named by its key.
 */
final class AttendanceConfiguration {

    private AttendanceConfiguration() {}

    /** The district's attendance sync, or null when it has no {@code attendance:} block. */
    static SyncAttendance attendance(String district, CleverSyncProperties.District d, DistrictSource roster,
                                     CamelContext camel) {
        CleverSyncProperties.Attendance a = d.attendance();
        boolean aeries = a != null && a.source() == CleverSyncProperties.AttendanceSource.AERIES;
        for (Map.Entry<String, CleverSyncProperties.School> school : d.schools().entrySet()) {
            if (!aeries && school.getValue() != null && school.getValue().aeriesSchoolCode() != null) {
                throw new InvalidConfigurationException(district + ".schools." + school.getKey() + ".aeries-school-code",
                        "is read only with attendance.source: aeries");
            }
        }
        if (a == null) {
            return null;
        }
        String prefix = district + ".attendance";
        if (!CronExpression.isValidExpression(a.schedule())) {
            throw new InvalidConfigurationException(prefix + ".schedule",
                    "is not a valid Quartz cron expression: '" + a.schedule() + "'");
        }
        if (a.schoolYearStart() == null || a.schoolYearStart().isBlank()) {
            throw new InvalidConfigurationException(prefix + ".school-year-start",
                    "is required: the first day of the school year, e.g. 2025-08-15 (the first run reads from it)");
        }
        LocalDate yearStart;
        try {
            yearStart = LocalDate.parse(a.schoolYearStart().trim());
        } catch (DateTimeException e) {
            throw new InvalidConfigurationException(prefix + ".school-year-start",
                    "must be a date such as 2025-08-15, was '" + a.schoolYearStart() + "'");
        }
        int window = days(prefix + ".correction-window", a.correctionWindow());
        int chunk = days(prefix + ".chunk", a.chunk());
        SyncAttendance.Source source;
        if (aeries) {
            source = aeries(prefix + ".aeries", a.aeries(), camel);
            for (Map.Entry<String, CleverSyncProperties.School> school : d.schools().entrySet()) {
                Integer code = school.getValue() == null ? null : school.getValue().aeriesSchoolCode();
                if (code == null || code < 0) {
                    throw new InvalidConfigurationException(district + ".schools." + school.getKey()
                            + ".aeries-school-code", code == null
                            ? "is required with attendance.source: aeries (the school's Aeries SchoolCode)"
                            : "must not be negative, was " + code);
                }
            }
        } else {
            if (a.aeries() != null) {
                throw new InvalidConfigurationException(prefix + ".aeries", "is read only with attendance.source: aeries");
            }
            if (!(roster instanceof DistrictSource.Clever clever)) {
                throw new InvalidConfigurationException(prefix + ".source", "clever attendance is read with the"
                        + " district's Clever token, and this district rosters from " + roster.title()
                        + ": use aeries, or a Clever district");
            }
            source = new SyncAttendance.Source.Clever(clever.token());
        }
        return new SyncAttendance(source, a.schedule(), yearStart, window, chunk);
    }

    private static SyncAttendance.Source.Aeries aeries(String prefix, CleverSyncProperties.Aeries a, CamelContext camel) {
        if (a == null) {
            throw new InvalidConfigurationException(prefix, "is required with attendance.source: aeries"
                    + " (base-url, certificate)");
        }
        String baseUrl = SyncConfiguration.resolve(camel, prefix + ".base-url", a.baseUrl());
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new InvalidConfigurationException(prefix + ".base-url", "is required (the district's Aeries address"
                    + " up to but excluding /api)");
        }
        try {
            AeriesRequest.absenceCodes(0, null).uri(baseUrl);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(prefix + ".base-url", e.getMessage() + ", was '" + baseUrl + "'");
        }
        if (baseUrl.startsWith("http:") && !SyncConfiguration.isLoopback(URI.create(baseUrl).getHost())) {
            // the certificate travels in every request
            throw new InvalidConfigurationException(prefix + ".base-url",
                    "must use https (http only for a loopback host, such as the sandbox), was '" + baseUrl + "'");
        }
        if (a.certificate() == null || a.certificate().isBlank()) {
            throw new InvalidConfigurationException(prefix + ".certificate", "is required: the AERIES-CERT value,"
                    + " best as a Key Vault placeholder such as {{azure:springfield-aeries-cert}}");
        }
        Secret certificate = new Secret(a.certificate(), value -> SyncConfiguration.resolve(camel, prefix + ".certificate", value));
        if (certificate.current() == null || certificate.current().isBlank()) {
            throw new InvalidConfigurationException(prefix + ".certificate", "resolves to an empty value");
        }
        AeriesStudentMatch match;
        try {
            match = AeriesStudentMatch.of(a.studentMatch());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(prefix + ".student-match", "must be sis_id, student_number or"
                    + " state_id, was '" + a.studentMatch() + "'");
        }
        if (a.requestsPerMinute() < 1) {
            throw new InvalidConfigurationException(prefix + ".requests-per-minute", "must be at least 1, was "
                    + a.requestsPerMinute());
        }
        if (a.databaseYear() != null && (a.databaseYear() < 2000 || a.databaseYear() > 2100)) {
            throw new InvalidConfigurationException(prefix + ".database-year", "must be the school year's start year,"
                    + " e.g. 2025, was " + a.databaseYear());
        }
        return new SyncAttendance.Source.Aeries(new AeriesApi(baseUrl.replaceAll("/+$", ""), match,
                a.requestsPerMinute(), a.databaseYear()), certificate);
    }

    /** A duration of whole days, at least one. */
    private static int days(String key, Duration value) {
        if (value.isNegative() || value.isZero() || !value.equals(Duration.ofDays(value.toDays()))) {
            throw new InvalidConfigurationException(key, "must be a whole number of days, at least 1d, was " + value);
        }
        return Math.toIntExact(value.toDays());
    }
}

package com.cleversync.sandbox.oneroster;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code filter} parameter as this provider understands it: one predicate on {@code dateLastModified}, the
 * delta query, e.g. {@code dateLastModified>'2026-12-01T10:00:00.000Z'}. Any other field, {@code ~} on a
 * time, or a combination with {@code AND}/{@code OR} is refused with 400, as a provider without those would,
 * so a client learns from the answer rather than silently getting everything.
 */
final class DeltaFilter {

    /** Spaces around the operator are allowed; the value is in single quotes. */
    private static final Pattern PREDICATE = Pattern.compile("\\s*(\\w+)\\s*(>=|<=|!=|=|>|<|~)\\s*'([^']*)'\\s*");
    private static final Pattern LOGICAL = Pattern.compile(" (AND|OR) ");

    private DeltaFilter() {
    }

    /** The records a filter keeps, judged by their {@code dateLastModified}. */
    static Predicate<RosterRecord> parse(String filter) {
        if (LOGICAL.matcher(filter).find()) {
            throw invalid("this provider filters on one predicate only, without AND or OR");
        }
        Matcher predicate = PREDICATE.matcher(filter);
        if (!predicate.matches()) {
            throw invalid("the filter is not field<op>'value'");
        }
        if (!predicate.group(1).equals("dateLastModified")) {
            throw invalid("this provider cannot filter on " + predicate.group(1) + ", only on dateLastModified");
        }
        Instant value = time(predicate.group(3));
        Predicate<Instant> test = switch (predicate.group(2)) {
            case ">" -> time -> time.isAfter(value);
            case ">=" -> time -> !time.isBefore(value);
            case "<" -> time -> time.isBefore(value);
            case "<=" -> time -> !time.isAfter(value);
            case "=" -> time -> time.equals(value);
            case "!=" -> time -> !time.equals(value);
            default -> throw invalid("dateLastModified cannot be filtered with ~");
        };
        return record -> test.test(record.dateLastModified());
    }

    /** An ISO-8601 instant, date-time with offset, or date (midnight UTC). */
    private static Instant time(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notDateTime) {
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                throw invalid("dateLastModified must be compared with an ISO-8601 time, e.g. 2026-12-01T10:00:00.000Z");
            }
        }
    }

    private static RosterError invalid(String description) {
        return new RosterError(400, "invalid_filter_field", description);
    }
}

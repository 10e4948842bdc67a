package com.cleversync.source;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * An ISO-8601 instant as a source sends it ({@code 2024-09-01T12:34:56.789Z}, or with an offset), as
 * the UTC {@link LocalDateTime} the school databases store in their timestamp columns. Shared by the
 * sources so that every source's {@code last_modified} means the same.
 */
public final class UtcTimestamp {

    private UtcTimestamp() {}

    /**
     * @throws java.time.DateTimeException when the text is not an ISO-8601 instant, or one beyond what
     *                                     LocalDateTime can hold
     */
    public static LocalDateTime parse(String s) {
        LocalDateTime utc = fastUtc(s);
        return utc != null ? utc : LocalDateTime.ofInstant(Instant.parse(s), ZoneOffset.UTC);
    }

    /**
     * The usual form, {@code 2024-09-01T12:34:56.789Z} (0 to 9 fraction digits), read without a
     * formatter (Instant.parse was half of Clever's mapping time); null for any other form, which
     * Instant.parse then reads or refuses. An impossible date or time throws as Instant.parse would.
     */
    private static LocalDateTime fastUtc(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-'
                || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':' || (n > 20 && s.charAt(19) != '.')
                || n == 21) {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        int fraction = n > 20 ? digits(s, 20, n - 1) : 0;
        if ((year | month | day | hour | minute | second | fraction) < 0 || second == 60) {
            return null; // not digits, or a leap second: Instant.parse decides
        }
        int nanos = fraction;
        for (int i = n - 1 - 20; n > 20 && i < 9; i++) {
            nanos *= 10;
        }
        return LocalDateTime.of(year, month, day, hour, minute, second, nanos);
    }

    /** The decimal number in s[from, to), or -1 when a character is not a digit. */
    private static int digits(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            value = value * 10 + (ch - '0');
        }
        return value;
    }
}

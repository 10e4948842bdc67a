package com.cleversync.sandbox.attendance;

import com.cleversync.sandbox.ApiError;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a Clever attendance page starts or ends: a record's place in a school's order (date, the student's position
 * in its school, period). Records have no id, so Clever's cursors are opaque strings; the sandbox's are this key in
 * URL-safe base64, and a client must not read anything into them.
 */
record AttendanceCursor(long epochDay, int position, int period) implements Comparable<AttendanceCursor> {

    private static final String VERSION = "a1";

    static AttendanceCursor of(AttendanceRecord record) {
        return new AttendanceCursor(record.date().toEpochDay(), record.student().position(), record.period());
    }

    /** @throws ApiError 400 for a cursor this sandbox did not hand out */
    static AttendanceCursor parse(String name, String text) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\.");
            if (parts.length != 4 || !parts[0].equals(VERSION)) {
                throw new IllegalArgumentException();
            }
            return new AttendanceCursor(Long.parseLong(parts[1]), Integer.parseInt(parts[2]), Integer.parseInt(parts[3]));
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "invalid " + name);
        }
    }

    String encoded() {
        String key = VERSION + "." + epochDay + "." + position + "." + period;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int compareTo(AttendanceCursor other) {
        int byDay = Long.compare(epochDay, other.epochDay);
        if (byDay != 0) {
            return byDay;
        }
        int byStudent = Integer.compare(position, other.position);
        return byStudent != 0 ? byStudent : Integer.compare(period, other.period);
    }
}

package com.cleversync.school;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rows copied into PostgreSQL arrive exactly as given, whatever characters their text holds. */
class PostgresCopyTest {
    @Test
    void textWithTheFormatsSeparatorsAndEscapesNullsDatesTimesAndBooleansArriveExactly() throws SQLException {
        String url = TestDatabases.postgres("copy");
        SchoolDb db = SchoolDb.postgres(url);
        db.execute("CREATE TABLE copied (n INT, t TEXT, d DATE, ts TIMESTAMP, b BOOLEAN)");
        String awkward = "tab\there, new\nline, return\r, back\\slash \\N \\. \"quoted\" 'O''Connell' Kai 🌊 Ø";
        LocalDateTime time = LocalDateTime.of(2026, 12, 2, 15, 55, 1, 123_456_000);

        PostgresCopy rows = new PostgresCopy("copied", List.of("n", "t", "d", "ts", "b"));
        rows.field(1).field(awkward).field(LocalDate.of(2014, 4, 19)).field(time).field(true).endRow();
        rows.field(2).field(null).field(null).field(null).field(false).endRow();
        rows.field(3).field("\\N").field(null).field(LocalDateTime.of(2025, 1, 3, 18, 49)).field(null).endRow();
        try (Connection c = DriverManager.getConnection(url, TestDatabases.POSTGRES_USER, "")) {
            assertThat(rows.copy(c)).isEqualTo(3);
        }

        assertThat(db.query("SELECT n, t, d, ts, b FROM copied ORDER BY n")).containsExactly(
                row(1, awkward, java.sql.Date.valueOf("2014-04-19"), java.sql.Timestamp.valueOf(time), true),
                row(2, null, null, null, false),
                row(3, "\\N", null, java.sql.Timestamp.valueOf("2025-01-03 18:49:00"), null));
    }

    @Test
    void rowsOfManyChunksArriveWholeWhereverAMultiByteCharacterFalls() throws SQLException {
        String url = TestDatabases.postgres("copy-chunks");
        SchoolDb db = SchoolDb.postgres(url);
        db.execute("CREATE TABLE copied (n INT, t TEXT)");
        PostgresCopy rows = new PostgresCopy("copied", List.of("n", "t"));
        // rows of different lengths, so that the 64 KB chunk boundaries fall inside the 4-byte 🌊,
        // the 2-byte Ø and the escapes of different rows
        for (int n = 0; n < 3000; n++) {
            rows.field(n).field(text(n)).endRow();
        }
        try (Connection c = DriverManager.getConnection(url, TestDatabases.POSTGRES_USER, "")) {
            assertThat(rows.copy(c)).isEqualTo(3000);
        }

        List<Map<String, Object>> copied = db.query("SELECT n, t FROM copied ORDER BY n");
        assertThat(copied).hasSize(3000);
        for (int n = 0; n < 3000; n++) {
            assertThat(copied.get(n)).containsEntry("n", n).containsEntry("t", text(n));
        }
    }

    private static String text(int n) {
        return "row " + n + " Ø🌊\\\t".repeat(1 + n % 37) + "x".repeat(n % 11);
    }

    private static Map<String, Object> row(int n, String t, Object d, Object ts, Boolean b) {
        Map<String, Object> row = new HashMap<>();
        row.put("n", n);
        row.put("t", t);
        row.put("d", d);
        row.put("ts", ts);
        row.put("b", b);
        return row;
    }
}

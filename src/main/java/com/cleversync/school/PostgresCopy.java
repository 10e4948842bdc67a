package com.cleversync.school;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows sent to PostgreSQL with {@code COPY … FROM STDIN} in its text format: one round trip and no
 * statement per row, several times faster than batched INSERTs for the rows that are new to a
 * table (a first full sync writes nothing else). COPY only inserts: rows that may exist already
 * go through the upsert.
 *
 * <p>The rows are built as UTF-8 bytes (the database's encoding) in chunks of {@value #CHUNK}
 * bytes: a batch's text is larger than G1's humongous threshold on a small heap, and building it
 * as one string would also encode it a second time on the way out.
 */
final class PostgresCopy {
    private static final int CHUNK = 64 * 1024;
    /** What the text format escapes: backslash, and the tab, newline and carriage return that separate fields and rows. */
    private static final char[] SPECIAL = {'\\', '\t', '\n', '\r'};
    private static final byte[] NULL = {'\\', 'N'};

    private final List<byte[]> full = new ArrayList<>();
    private byte[] chunk = new byte[CHUNK];
    private int used;
    private final String sql;
    private boolean firstField = true;
    private int count;

    /** @param columns the columns every row gives, in order */
    PostgresCopy(String table, List<String> columns) {
        this.sql = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN";
    }

    /** The next field of the current row; null is SQL NULL. */
    PostgresCopy field(Object value) {
        if (!firstField) {
            put((byte) '\t');
        }
        firstField = false;
        if (value == null) {
            put(NULL);
        } else if (value instanceof Boolean b) {
            put((byte) (b ? 't' : 'f'));
        } else {
            escape(value.toString()); // LocalDate and LocalDateTime print as ISO 8601, which PostgreSQL reads
        }
        return this;
    }

    /** Ends the current row. */
    PostgresCopy endRow() {
        put((byte) '\n');
        firstField = true;
        count++;
        return this;
    }

    /** Sends the rows (in the connection's transaction); returns how many. */
    long copy(Connection c) throws SQLException {
        if (count == 0) {
            return 0;
        }
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            for (byte[] bytes : full) {
                in.writeToCopy(bytes, 0, bytes.length);
            }
            in.writeToCopy(chunk, 0, used);
            return in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy(); // a failed write leaves the connection usable for the rollback
            }
        }
    }

    /** The text format's escapes: backslash, and the tab, newline and carriage return that separate fields and rows. */
    private void escape(String s) {
        int first = firstToEscape(s);
        if (first == s.length()) {
            put(s.getBytes(StandardCharsets.UTF_8)); // most values: encoded and copied as a whole
            return;
        }
        put(s.substring(0, first).getBytes(StandardCharsets.UTF_8));
        StringBuilder escaped = new StringBuilder(s.length() - first + 16);
        for (int i = first; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> escaped.append("\\\\");
                case '\t' -> escaped.append("\\t");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                default -> escaped.append(ch);
            }
        }
        put(escaped.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Where the first character to escape is (the length when none): four of String's fast scans. */
    private static int firstToEscape(String s) {
        int first = s.length();
        for (char special : SPECIAL) {
            int at = s.indexOf(special);
            if (at >= 0 && at < first) {
                first = at;
            }
        }
        return first;
    }

    private void put(byte b) {
        if (used == CHUNK) {
            nextChunk();
        }
        chunk[used++] = b;
    }

    private void put(byte[] bytes) {
        int from = 0;
        while (from < bytes.length) {
            if (used == CHUNK) {
                nextChunk();
            }
            int n = Math.min(bytes.length - from, CHUNK - used);
            System.arraycopy(bytes, from, chunk, used, n);
            used += n;
            from += n;
        }
    }

    private void nextChunk() {
        full.add(chunk);
        chunk = new byte[CHUNK];
        used = 0;
    }
}

package com.cleversync.school;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Writes a batch of records into a school database in one transaction.
 *
 * <p>Only records that differ from what is stored are written (compared on {@code raw_json}), so a
 * repeated sync changes nothing and a section's enrollment and teacher sets are replaced only when
 * Clever changed the section. When the database refuses the batch for a reason other than a lost
 * connection, the records are written one per transaction to find the ones it refuses; those go to
 * {@code sync_rejects} with the database's reason and the rest commit.
 */
final class BatchWriter {
    /** SQL Server accepts at most 2100 parameters per statement. */
    private static final int MAX_IN_LIST = 1000;

    private final DataSource dataSource;
    private final Dialect dialect;

    BatchWriter(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    BatchOutcome write(String runId, List<SchoolRecord> batch, LocalDateTime now) throws SQLException {
        List<SchoolRecord> rejects = new ArrayList<>();
        Map<SchoolTable, Map<String, SchoolRecord>> rows = new EnumMap<>(SchoolTable.class);
        for (SchoolRecord r : batch) {
            if (r.rejected()) {
                rejects.add(r);
            } else {
                rows.computeIfAbsent(r.table(), t -> new LinkedHashMap<>()).put(r.id(), r); // last one wins
            }
        }
        int stored = rows.values().stream().mapToInt(Map::size).sum();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int written = 0;
                for (Map.Entry<SchoolTable, Map<String, SchoolRecord>> e : rows.entrySet()) {
                    written += upsertChanged(c, e.getKey(), e.getValue().values(), now);
                }
                insertRejects(c, runId, rejects, now);
                c.commit();
                return new BatchOutcome(written, stored - written, rejects.size());
            } catch (SQLException e) {
                rollback(c);
                if (isTransientFailure(e, c)) {
                    throw e;
                }
            } catch (AssertionError driverFailure) {
                throw connectionLost(driverFailure);
            }
            return writeOneByOne(c, runId, rows, rejects, now);
        }
    }

    private BatchOutcome writeOneByOne(Connection c, String runId, Map<SchoolTable, Map<String, SchoolRecord>> rows,
                                       List<SchoolRecord> rejects, LocalDateTime now) throws SQLException {
        int written = 0;
        int unchanged = 0;
        for (Map.Entry<SchoolTable, Map<String, SchoolRecord>> e : rows.entrySet()) {
            for (SchoolRecord r : e.getValue().values()) {
                try {
                    int w = upsertChanged(c, e.getKey(), List.of(r), now);
                    c.commit();
                    written += w;
                    unchanged += 1 - w;
                } catch (AssertionError driverFailure) {
                    throw connectionLost(driverFailure);
                } catch (SQLException refused) {
                    rollback(c);
                    if (isTransientFailure(refused, c)) {
                        throw refused;
                    }
                    rejects.add(r.reject("database refused the record: SQLState " + refused.getSQLState()
                            + ": " + firstLine(refused.getMessage())));
                }
            }
        }
        insertRejects(c, runId, rejects, now);
        c.commit();
        return new BatchOutcome(written, unchanged, rejects.size());
    }

    /** Upserts the records that differ from the stored rows; returns how many it wrote. */
    private int upsertChanged(Connection c, SchoolTable table, Collection<SchoolRecord> records, LocalDateTime now)
            throws SQLException {
        List<SchoolRecord> changed = changed(c, table, records);
        if (changed.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement(dialect.upsert(table))) {
            List<SchoolTable.Column> columns = table.columns();
            for (SchoolRecord r : changed) {
                for (int i = 0; i < columns.size(); i++) {
                    Object v = r.values()[i];
                    if (v == null) {
                        ps.setNull(i + 1, columns.get(i).sqlType());
                    } else {
                        ps.setObject(i + 1, v);
                    }
                }
                ps.setString(columns.size() + 1, r.rawJson());
                ps.setObject(columns.size() + 2, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (table == SchoolTable.SECTIONS) {
            replaceMemberships(c, changed);
        }
        return changed.size();
    }

    /** The records that are new, archived, or whose JSON differs from the stored row. */
    private List<SchoolRecord> changed(Connection c, SchoolTable table, Collection<SchoolRecord> records)
            throws SQLException {
        List<SchoolRecord> all = List.copyOf(records);
        Set<String> unchanged = new HashSet<>();
        for (int from = 0; from < all.size(); from += MAX_IN_LIST) {
            List<SchoolRecord> chunk = all.subList(from, Math.min(all.size(), from + MAX_IN_LIST));
            Map<String, String> json = chunk.stream().collect(Collectors.toMap(SchoolRecord::id, SchoolRecord::rawJson));
            String in = chunk.stream().map(r -> "?").collect(Collectors.joining(", "));
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, raw_json FROM " + table.tableName() + " WHERE deleted_at IS NULL AND id IN (" + in + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i).id());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        if (rs.getString(2).equals(json.get(id))) {
                            unchanged.add(id);
                        }
                    }
                }
            }
        }
        return unchanged.isEmpty() ? all : all.stream().filter(r -> !unchanged.contains(r.id())).toList();
    }

    /** Replaces each section's enrollment and teacher sets with what Clever says now. */
    private static void replaceMemberships(Connection c, List<SchoolRecord> sections) throws SQLException {
        try (PreparedStatement deleteStudents = c.prepareStatement("DELETE FROM section_students WHERE section_id = ?");
             PreparedStatement deleteTeachers = c.prepareStatement("DELETE FROM section_teachers WHERE section_id = ?");
             PreparedStatement insertStudent = c.prepareStatement(
                     "INSERT INTO section_students (section_id, student_id) VALUES (?, ?)");
             PreparedStatement insertTeacher = c.prepareStatement(
                     "INSERT INTO section_teachers (section_id, teacher_id, is_primary) VALUES (?, ?, ?)")) {
            for (SchoolRecord s : sections) {
                deleteStudents.setString(1, s.id());
                deleteStudents.addBatch();
                deleteTeachers.setString(1, s.id());
                deleteTeachers.addBatch();
                for (String student : s.students()) {
                    insertStudent.setString(1, s.id());
                    insertStudent.setString(2, student);
                    insertStudent.addBatch();
                }
                for (String teacher : s.teachers()) {
                    insertTeacher.setString(1, s.id());
                    insertTeacher.setString(2, teacher);
                    insertTeacher.setBoolean(3, teacher.equals(s.primaryTeacher()));
                    insertTeacher.addBatch();
                }
            }
            deleteStudents.executeBatch();
            deleteTeachers.executeBatch();
            insertStudent.executeBatch();
            insertTeacher.executeBatch();
        }
    }

    private static void insertRejects(Connection c, String runId, List<SchoolRecord> rejects, LocalDateTime now)
            throws SQLException {
        if (rejects.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_rejects"
                + " (run_id, resource, clever_id, reason, raw_json, rejected_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (SchoolRecord r : rejects) {
                ps.setString(1, runId);
                ps.setString(2, r.resource().label());
                ps.setString(3, r.id());
                ps.setString(4, r.rejectReason());
                ps.setString(5, r.rawJson());
                ps.setObject(6, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * A lost or unusable connection, a deadlock or a timeout fails the batch (it is retried as a
     * whole); anything else is a record the database refuses. SQLSTATE classes: 08 connection,
     * 40 transaction rollback (deadlock, serialization), 57 operator intervention (e.g. a
     * terminated backend), HYT timeout.
     */
    private static boolean isTransientFailure(SQLException e, Connection c) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException
                    || (t instanceof SQLException s && isTransientState(s.getSQLState()))) {
                return true;
            }
        }
        try {
            return !c.isValid(5);
        } catch (SQLException invalid) {
            return true;
        }
    }

    /**
     * pgjdbc (42.7) throws an AssertionError from its batch result handling when the server ends
     * the connection in the middle of a batch ("getAutoCommit() should not throw"). It means the
     * connection is gone, so the batch is failed as a lost connection and retried.
     */
    private static SQLException connectionLost(AssertionError driverFailure) {
        return new SQLRecoverableException("connection lost during the batch: " + driverFailure.getMessage(),
                "08006", driverFailure);
    }

    private static boolean isTransientState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("40") || state.startsWith("57")
                || state.startsWith("HYT"));
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; isTransientFailure() will say so
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}

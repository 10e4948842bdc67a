package com.cleversync.school;

import com.microsoft.sqlserver.jdbc.ISQLServerConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Writes a batch of records into a school database in one transaction.
 *
 * <p>Only records that differ from what is stored are written (compared on {@code raw_json}, on
 * PostgreSQL on its MD5), so a repeated sync changes nothing and a section's enrollment and teacher
 * sets are replaced only when Clever changed the section. On PostgreSQL, rows new to a table, the
 * seen marks and memberships are sent with {@link PostgresCopy}. A batch's other changed rows are
 * staged in a session temp table (on PostgreSQL with COPY, on SQL Server with mssql-jdbc's bulk
 * copy; H2 runs the same T-SQL) and upserted from it in one statement. When the database refuses the batch for a reason other than a lost
 * connection, the records are written one per transaction to find the ones it refuses; those go to
 * {@code sync_rejects} with the database's reason and the rest commit.
 */
final class BatchWriter {
    /** SQL Server accepts at most 2100 parameters per statement. */
    private static final int MAX_IN_LIST = 1000;
    /** Width of the id columns ({@code NVARCHAR(64)}). */
    private static final int MAX_ID_LENGTH = 64;

    private final DataSource dataSource;
    private final Dialect dialect;

    BatchWriter(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /**
     * @param passId     the full sync the batch belongs to (its records are marked seen for the
     *                   archiving at its end), or null for an incremental sync
     * @param checkpoint where the school's sync stands once this batch is committed, or null
     */
    BatchOutcome write(String runId, String district, String passId, List<SchoolRecord> batch, Checkpoint checkpoint,
                       LocalDateTime now) throws SQLException {
        List<SchoolRecord> rejects = new ArrayList<>();
        // a batch holds a record at most once: a list never repeats an id, and the sync applies only
        // the last of a record's events in a page
        Map<SchoolTable, List<SchoolRecord>> rows = new EnumMap<>(SchoolTable.class);
        for (SchoolRecord r : batch) {
            if (r.rejected()) {
                rejects.add(r);
            } else {
                rows.computeIfAbsent(r.table(), t -> new ArrayList<>()).add(r);
            }
        }
        int stored = (int) rows.values().stream().flatMap(List::stream).filter(r -> !r.archived()).count();
        Pass pass = new Pass(district, passId, checkpoint, now);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int written = 0;
                for (Map.Entry<SchoolTable, List<SchoolRecord>> e : rows.entrySet()) {
                    written += upsertChanged(c, e.getKey(), upserts(e.getValue()), pass);
                }
                int archived = archive(c, rows, now);
                finish(c, runId, rejects, pass);
                c.commit();
                return new BatchOutcome(written, stored - written, rejects.size(), archived);
            } catch (SQLException e) {
                rollback(c);
                if (isTransientFailure(e, c)) {
                    throw e;
                }
            } catch (AssertionError driverFailure) {
                throw connectionLost(driverFailure);
            }
            return writeOneByOne(c, runId, rows, rejects, pass);
        }
    }

    /** The batch's context: its district and full sync, where it leaves the sync, and its time. */
    private record Pass(String district, String passId, Checkpoint checkpoint, LocalDateTime now) {}

    private BatchOutcome writeOneByOne(Connection c, String runId, Map<SchoolTable, List<SchoolRecord>> rows,
                                       List<SchoolRecord> rejects, Pass pass) throws SQLException {
        int written = 0;
        int unchanged = 0;
        for (Map.Entry<SchoolTable, List<SchoolRecord>> e : rows.entrySet()) {
            for (SchoolRecord r : upserts(e.getValue())) {
                try {
                    int w = upsertChanged(c, e.getKey(), List.of(r), pass);
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
        int archived = archive(c, rows, pass.now());
        finish(c, runId, rejects, pass);
        c.commit();
        return new BatchOutcome(written, unchanged, rejects.size(), archived);
    }

    private static List<SchoolRecord> upserts(List<SchoolRecord> rows) {
        return rows.stream().filter(r -> !r.archived()).toList();
    }

    /** Quarantines the rejects and records where the sync stands, in the batch's transaction. */
    private void finish(Connection c, String runId, List<SchoolRecord> rejects, Pass pass) throws SQLException {
        insertRejects(c, runId, rejects, pass.now());
        if (pass.passId() != null) {
            // a record Clever still lists is not archived because it cannot be stored; ids too long
            // for a row cannot match a stored row anyway
            markSeen(c, pass.passId(), rejects.stream()
                    .filter(r -> r.id() != null && r.id().length() <= MAX_ID_LENGTH).toList());
        }
        if (pass.checkpoint() instanceof Checkpoint.InList list) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE sync_checkpoints SET resource = ?, last_id = ?,"
                    + " records_done = ?, updated_at = ? WHERE district = ? AND pass_id = ?")) {
                ps.setString(1, list.list());
                ps.setString(2, list.lastId());
                ps.setLong(3, list.recordsDone());
                ps.setObject(4, pass.now());
                ps.setString(5, pass.district());
                ps.setString(6, pass.passId());
                ps.executeUpdate();
            }
        } else if (pass.checkpoint() instanceof Checkpoint.AfterEvent event) {
            // null keeps the stored value: no new event for this school, or the feed not yet read to its end
            try (PreparedStatement ps = c.prepareStatement("UPDATE sync_state SET event_cursor = COALESCE(?, event_cursor),"
                    + " cursor_checked_at = COALESCE(?, cursor_checked_at) WHERE district = ?")) {
                ps.setString(1, event.eventId());
                if (event.checkedAt() == null) {
                    ps.setNull(2, Types.TIMESTAMP);
                } else {
                    ps.setObject(2, event.checkedAt());
                }
                ps.setString(3, pass.district());
                ps.executeUpdate();
            }
        } else if (pass.checkpoint() instanceof Checkpoint.AttendanceRead read) {
            recordAttendanceRead(c, pass, read);
        }
    }

    private static void recordAttendanceRead(Connection c, Pass pass, Checkpoint.AttendanceRead read) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE attendance_state SET source = ?, read_through = ?,"
                + " updated_at = ? WHERE district = ?")) {
            update.setString(1, read.source());
            update.setObject(2, read.through());
            update.setObject(3, pass.now());
            update.setString(4, pass.district());
            if (update.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO attendance_state (district, source,"
                + " read_through, updated_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, pass.district());
            insert.setString(2, read.source());
            insert.setObject(3, read.through());
            insert.setObject(4, pass.now());
            insert.executeUpdate();
        }
    }

    /**
     * Archives the rows the batch orders archived (a section loses its enrollment and teacher sets)
     * and deletes the memberships it orders deleted; returns the rows archived.
     */
    private int archive(Connection c, Map<SchoolTable, List<SchoolRecord>> rows, LocalDateTime now)
            throws SQLException {
        int archived = 0;
        for (Map.Entry<SchoolTable, List<SchoolRecord>> e : rows.entrySet()) {
            List<String> ids = e.getValue().stream().filter(SchoolRecord::archived).map(SchoolRecord::id).toList();
            for (List<String> chunk : chunks(ids)) {
                if (e.getKey().membership()) {
                    deleteMemberships(c, e.getKey(), chunk);
                    continue;
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + e.getKey().tableName()
                        + " SET deleted_at = ? WHERE deleted_at IS NULL AND " + oneOf("id", chunk.size()))) {
                    ps.setObject(1, now);
                    bindIds(ps, 2, chunk);
                    archived += ps.executeUpdate();
                }
                if (e.getKey() == SchoolTable.SECTIONS) {
                    deleteMemberships(c, chunk);
                }
            }
        }
        return archived;
    }

    /**
     * The ids in chunks of one statement each: PostgreSQL takes them all as one array parameter,
     * SQL Server at most 2100 parameters per statement.
     */
    private List<List<String>> chunks(List<String> ids) {
        int size = dialect == Dialect.POSTGRESQL ? Math.max(1, ids.size()) : MAX_IN_LIST;
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += size) {
            chunks.add(ids.subList(from, Math.min(ids.size(), from + size)));
        }
        return chunks;
    }

    /** "column is one of n ids": {@code = ANY (?)} with an array in PostgreSQL, {@code IN (?, …)} elsewhere. */
    private String oneOf(String column, int n) {
        return dialect == Dialect.POSTGRESQL ? column + " = ANY (?)"
                : column + " IN (" + String.join(", ", java.util.Collections.nCopies(n, "?")) + ")";
    }

    /** Binds the ids of {@link #oneOf} from parameter {@code index} on. */
    private void bindIds(PreparedStatement ps, int index, List<String> ids) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            ps.setArray(index, ps.getConnection().createArrayOf("varchar", ids.toArray()));
        } else {
            for (int i = 0; i < ids.size(); i++) {
                ps.setString(index + i, ids.get(i));
            }
        }
    }

    /** Marks records seen by the full sync, so that its end does not archive them. */
    private void markSeen(Connection c, String passId, Collection<SchoolRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return;
        }
        if (dialect == Dialect.POSTGRESQL) {
            PostgresCopy seen = new PostgresCopy("sync_seen", List.of("pass_id", "resource", "id"));
            records.forEach(r -> seen.field(passId).field(r.table().tableName()).field(r.id()).endRow());
            seen.copy(c);
            return;
        }
        // CleverSync's own bookkeeping, with no trigger or constraint to skip: SQL Server bulk-copies it straight in
        try (PreparedStatement ps = bulkInsert(c, "INSERT INTO sync_seen (pass_id, resource, id) VALUES (?, ?, ?)")) {
            for (SchoolRecord r : records) {
                ps.setString(1, passId);
                ps.setString(2, r.table().tableName());
                ps.setString(3, r.id());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Upserts the records that differ from the stored rows; returns how many it wrote. */
    private int upsertChanged(Connection c, SchoolTable table, Collection<SchoolRecord> records, Pass pass)
            throws SQLException {
        if (records.isEmpty()) {
            return 0;
        }
        if (pass.passId() != null) {
            markSeen(c, pass.passId(), records);
        }
        if (table.membership()) {
            return writeMemberships(c, table, records);
        }
        Stored stored = stored(c, table, records);
        List<SchoolRecord> changed = records.stream().filter(r -> !stored.unchanged().contains(r.id())).toList();
        if (changed.isEmpty()) {
            return 0;
        }
        if (changed.size() == 1) {
            upsert(c, table, changed, pass.now()); // e.g. the one-by-one search for a refused record
        } else if (dialect == Dialect.POSTGRESQL) {
            // rows new to the table are copied straight in, rows it holds already are staged and upserted
            Map<Boolean, List<SchoolRecord>> held = changed.stream()
                    .collect(Collectors.partitioningBy(r -> stored.ids().contains(r.id())));
            copyIn(c, table.tableName(), table, held.get(false), pass.now());
            mergeStaged(c, table, held.get(true), pass.now());
        } else {
            mergeStaged(c, table, changed, pass.now());
        }
        if (table == SchoolTable.SECTIONS) {
            // a section whose members its source sends as records of their own keeps its sets
            replaceMemberships(c, changed.stream().filter(r -> r.students() != null).toList());
        }
        return changed.size();
    }

    /**
     * Writes memberships sent as records of their own, keyed by the record's id in {@code source_id};
     * returns how many changed. A membership whose record now names another section or person leaves
     * its old pair; a pair another record held before is taken over.
     */
    private int writeMemberships(Connection c, SchoolTable table, Collection<SchoolRecord> records) throws SQLException {
        List<String> columns = table.columns().stream().map(SchoolTable.Column::name).toList();
        Map<String, List<Object>> held = new HashMap<>();
        for (List<String> chunk : chunks(records.stream().map(SchoolRecord::id).toList())) {
            try (PreparedStatement ps = c.prepareStatement("SELECT source_id, " + String.join(", ", columns)
                    + " FROM " + table.tableName() + " WHERE " + oneOf("source_id", chunk.size()))) {
                bindIds(ps, 1, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        List<Object> values = new ArrayList<>();
                        for (int i = 0; i < columns.size(); i++) {
                            values.add(rs.getObject(i + 2));
                        }
                        held.put(rs.getString(1), values);
                    }
                }
            }
        }
        List<SchoolRecord> changed = records.stream()
                .filter(r -> !Arrays.asList(r.values()).equals(held.get(r.id()))).toList();
        if (changed.isEmpty()) {
            return 0;
        }
        List<String> moved = changed.stream().map(SchoolRecord::id).filter(held::containsKey).toList();
        for (List<String> chunk : chunks(moved)) {
            deleteMemberships(c, table, chunk);
        }
        try (PreparedStatement ps = c.prepareStatement(dialect.upsert(table))) {
            for (SchoolRecord r : changed) {
                for (int i = 0; i < columns.size(); i++) {
                    ps.setObject(i + 1, r.values()[i]);
                }
                ps.setString(columns.size() + 1, r.id());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return changed.size();
    }

    private void upsert(Connection c, SchoolTable table, List<SchoolRecord> records, LocalDateTime now)
            throws SQLException {
        if (records.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(dialect.upsert(table))) {
            for (SchoolRecord r : records) {
                bindRow(ps, table, r, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The upsert of many rows: they go into the session's staging table (PostgreSQL: COPY; SQL
     * Server: mssql-jdbc's bulk copy; H2: a batch), then one statement ({@code INSERT … ON CONFLICT},
     * {@code MERGE}) writes them all, firing the table's triggers and checking its constraints as a
     * row-by-row upsert does (a bulk copy into the table itself would do neither on SQL Server); the
     * staging table is emptied in the same transaction.
     */
    private void mergeStaged(Connection c, SchoolTable table, List<SchoolRecord> records, LocalDateTime now)
            throws SQLException {
        if (records.isEmpty()) {
            return;
        }
        try (Statement statement = c.createStatement()) {
            // a statement of its own, not a prepared one: a temp table created inside sp_prepexec ends with it
            statement.execute(dialect.createStaging(table));
        }
        if (dialect == Dialect.POSTGRESQL) {
            copyIn(c, dialect.stagingTable(table), table, records, now);
        } else {
            try (PreparedStatement ps = bulkInsert(c, dialect.insertStaged(table))) {
                for (SchoolRecord r : records) {
                    bindRow(ps, table, r, now);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        try (Statement statement = c.createStatement()) {
            statement.executeUpdate(dialect.mergeStaged(table));
            statement.executeUpdate("DELETE FROM " + dialect.stagingTable(table));
        }
    }

    /**
     * A statement whose batch mssql-jdbc sends with its bulk copy API ({@code useBulkCopyForBatchInsert},
     * which a statement takes from its connection when it is prepared); other drivers batch it as usual.
     */
    private static PreparedStatement bulkInsert(Connection c, String insert) throws SQLException {
        if (!c.isWrapperFor(ISQLServerConnection.class)) {
            return c.prepareStatement(insert);
        }
        ISQLServerConnection server = c.unwrap(ISQLServerConnection.class);
        boolean before = server.getUseBulkCopyForBatchInsert();
        server.setUseBulkCopyForBatchInsert(true);
        try {
            return c.prepareStatement(insert);
        } finally {
            server.setUseBulkCopyForBatchInsert(before);
        }
    }

    /** Binds a row's mapped values, its JSON and its time: the parameters of {@code writtenColumns()}. */
    private static void bindRow(PreparedStatement ps, SchoolTable table, SchoolRecord r, LocalDateTime now)
            throws SQLException {
        List<SchoolTable.Column> columns = table.columns();
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
    }

    /** Copies the rows into {@code target}: the table itself or its staging table. */
    private static void copyIn(Connection c, String target, SchoolTable table, List<SchoolRecord> records, LocalDateTime now)
            throws SQLException {
        if (records.isEmpty()) {
            return;
        }
        PostgresCopy rows = new PostgresCopy(target, table.writtenColumns());
        for (SchoolRecord r : records) {
            for (Object value : r.values()) {
                rows.field(value);
            }
            rows.field(r.rawJson()).field(now).endRow();
        }
        rows.copy(c);
    }

    /**
     * Which of the records the table holds (active or archived), and which of those are active with
     * the same JSON (unchanged). PostgreSQL compares MD5 digests, so the stored JSON does not travel.
     */
    private record Stored(Set<String> ids, Set<String> unchanged) {}

    /**
     * The hex MD5 of the UTF-8 bytes, as PostgreSQL's md5(text) in a UTF8 database gives it; one
     * digest serves a whole batch (looking one up per row showed in the profile).
     */
    private static String md5(MessageDigest md5, String json) {
        return HexFormat.of().formatHex(md5.digest(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }

    private Stored stored(Connection c, SchoolTable table, Collection<SchoolRecord> records) throws SQLException {
        MessageDigest digest = dialect == Dialect.POSTGRESQL ? md5() : null;
        List<String> candidates = new ArrayList<>(records.size());
        records.forEach(r -> candidates.add(r.id()));
        Map<String, String> json = null; // built once the table holds any of them: a first sync needs none
        Set<String> ids = new HashSet<>();
        Set<String> unchanged = new HashSet<>();
        for (List<String> chunk : chunks(candidates)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, " + (digest != null ? "md5(raw_json)" : "raw_json")
                    + ", CASE WHEN deleted_at IS NULL THEN 1 ELSE 0 END FROM " + table.tableName()
                    + " WHERE " + oneOf("id", chunk.size()))) {
                bindIds(ps, 1, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (json == null) {
                            json = new HashMap<>(records.size() * 2);
                            for (SchoolRecord r : records) {
                                json.put(r.id(), r.rawJson());
                            }
                        }
                        String id = rs.getString(1);
                        ids.add(id);
                        // digested only for rows the table holds: a first sync digests nothing
                        if (rs.getInt(3) == 1 && rs.getString(2).equals(digest != null ? md5(digest, json.get(id)) : json.get(id))) {
                            unchanged.add(id);
                        }
                    }
                }
            }
        }
        return new Stored(ids, unchanged);
    }

    /** Replaces each section's enrollment and teacher sets with what its source says now. */
    private void replaceMemberships(Connection c, List<SchoolRecord> sections) throws SQLException {
        for (List<String> chunk : chunks(sections.stream().map(SchoolRecord::id).toList())) {
            deleteMemberships(c, chunk);
        }
        if (dialect == Dialect.POSTGRESQL) {
            PostgresCopy students = new PostgresCopy("section_students", List.of("section_id", "student_id"));
            PostgresCopy teachers = new PostgresCopy("section_teachers", List.of("section_id", "teacher_id", "is_primary"));
            for (SchoolRecord s : sections) {
                s.students().forEach(student -> students.field(s.id()).field(student).endRow());
                s.teachers().forEach(teacher -> teachers.field(s.id()).field(teacher)
                        .field(teacher.equals(s.primaryTeacher())).endRow());
            }
            students.copy(c);
            teachers.copy(c);
            return;
        }
        try (PreparedStatement insertStudent = c.prepareStatement(
                     "INSERT INTO section_students (section_id, student_id) VALUES (?, ?)");
             PreparedStatement insertTeacher = c.prepareStatement(
                     "INSERT INTO section_teachers (section_id, teacher_id, is_primary) VALUES (?, ?, ?)")) {
            for (SchoolRecord s : sections) {
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
            insertStudent.executeBatch();
            insertTeacher.executeBatch();
        }
    }

    /** Deletes the enrollment and teacher sets of sections (one statement's worth of ids). */
    private void deleteMemberships(Connection c, List<String> sectionIds) throws SQLException {
        for (SchoolTable membership : SchoolTable.MEMBERSHIPS) {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM " + membership.tableName() + " WHERE " + oneOf("section_id", sectionIds.size()))) {
                bindIds(ps, 1, sectionIds);
                ps.executeUpdate();
            }
        }
    }

    /** Deletes the memberships that records of their own sent (one statement's worth of their ids). */
    private void deleteMemberships(Connection c, SchoolTable membership, List<String> sourceIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM " + membership.tableName() + " WHERE " + oneOf("source_id", sourceIds.size()))) {
            bindIds(ps, 1, sourceIds);
            ps.executeUpdate();
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
                ps.setString(2, r.table().tableName());
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

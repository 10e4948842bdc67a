package com.cleversync.school;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The end of a school's full sync, in one transaction: rows its source no longer lists for the school
 * (not seen by the full sync) are archived, archived sections lose their memberships, memberships
 * sent as records of their own that were not listed are deleted, the
 * checkpoint is dropped and the incremental sync starts from the event cursor read when the full
 * sync began. The mass-archive guard archives nothing when too large a share of the school's
 * active students, teachers or sections would go: an accidental sharing change at the district
 * must not empty a school's database.
 */
final class Reconciliation {
    /** The tables the guard protects. */
    private static final List<SchoolTable> GUARDED = List.of(SchoolTable.STUDENTS, SchoolTable.TEACHERS, SchoolTable.SECTIONS);

    private Reconciliation() {}

    /**
     * @param maxArchiveShare the largest share (percent) of a guarded table's active rows that may be archived
     * @param accepted        an operator accepted this school's mass archive once
     * @param heldBack        why nothing may be archived this time, or null
     */
    static SchoolDatabase.PassOutcome complete(Connection c, String district, String passId, double maxArchiveShare,
                                               boolean accepted, String heldBack, LocalDateTime now) throws SQLException {
        Map<SchoolTable, Long> unseen = new EnumMap<>(SchoolTable.class);
        for (SchoolTable table : SchoolTable.ROWS) {
            unseen.put(table, count(c, "SELECT COUNT(*) FROM " + table.tableName() + " WHERE " + unseen(table), passId));
        }
        String guard = heldBack;
        for (SchoolTable table : guard == null ? GUARDED : List.<SchoolTable>of()) {
            long active = count(c, "SELECT COUNT(*) FROM " + table.tableName() + " WHERE deleted_at IS NULL", null);
            long leaving = unseen.get(table);
            if (active > 0 && leaving * 100.0 > maxArchiveShare * active) {
                String share = String.format("would archive %d of %d active %s (%.1f %% > %s %%)", leaving, active,
                        table.tableName(), leaving * 100.0 / active, trim(maxArchiveShare));
                if (!accepted) {
                    guard = "mass-archive guard: " + share + "; nothing archived. If the source is right, accept it once"
                            + " (see README, 'Mass-archive guard') and sync again";
                    break;
                }
            }
        }
        int archived = 0;
        if (guard == null) {
            for (SchoolTable table : SchoolTable.ROWS) {
                if (unseen.get(table) > 0) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE " + table.tableName()
                            + " SET deleted_at = ? WHERE " + unseen(table))) {
                        ps.setObject(1, now);
                        ps.setString(2, passId);
                        archived += ps.executeUpdate();
                    }
                }
            }
            for (SchoolTable membership : SchoolTable.MEMBERSHIPS) {
                execute(c, "DELETE FROM " + membership.tableName()
                        + " WHERE section_id IN (SELECT id FROM sections WHERE deleted_at IS NOT NULL)");
                // memberships sent as records of their own that the full sync no longer listed
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + membership.tableName()
                        + " WHERE source_id IS NOT NULL AND source_id NOT IN (SELECT id FROM sync_seen"
                        + " WHERE pass_id = ? AND resource = '" + membership.tableName() + "')")) {
                    ps.setString(1, passId);
                    ps.executeUpdate();
                }
            }
        }
        try (PreparedStatement state = c.prepareStatement("DELETE FROM sync_state WHERE district = ?")) {
            state.setString(1, district);
            state.executeUpdate();
        }
        try (PreparedStatement state = c.prepareStatement("INSERT INTO sync_state"
                + " (district, event_cursor, cursor_checked_at, full_sync_at)"
                + " SELECT district, event_cursor, cursor_checked_at, ? FROM sync_checkpoints WHERE district = ? AND pass_id = ?")) {
            state.setObject(1, now);
            state.setString(2, district);
            state.setString(3, passId);
            state.executeUpdate();
        }
        try (PreparedStatement checkpoint = c.prepareStatement(
                "DELETE FROM sync_checkpoints WHERE district = ? AND pass_id = ?")) {
            checkpoint.setString(1, district);
            checkpoint.setString(2, passId);
            checkpoint.executeUpdate();
        }
        try (PreparedStatement seen = c.prepareStatement("DELETE FROM sync_seen WHERE pass_id = ?")) {
            seen.setString(1, passId);
            seen.executeUpdate();
        }
        return new SchoolDatabase.PassOutcome(archived, guard);
    }

    /**
     * Active rows of the table the full sync did not see (parameter: the pass id). An uncorrelated
     * {@code NOT IN}: PostgreSQL hashes the seen ids once, where a correlated {@code NOT EXISTS}
     * planned on the freshly filled table's stale statistics (empty) became a nested loop that
     * took 0.7 s per school of 5,000 students. {@code sync_seen.id} is never null.
     */
    private static String unseen(SchoolTable table) {
        return "deleted_at IS NULL AND id NOT IN (SELECT id FROM sync_seen WHERE pass_id = ? AND resource = '"
                + table.tableName() + "')";
    }

    private static long count(Connection c, String sql, String passId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (passId != null) {
                ps.setString(1, passId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
        }
    }

    private static String trim(double share) {
        return share == Math.rint(share) ? String.valueOf((long) share) : String.valueOf(share);
    }
}

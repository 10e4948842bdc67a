package com.cleversync.cluster;

import com.cleversync.sync.DistrictLeases;
import com.cleversync.sync.Replica;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * District leases in the control database's {@code district_leases}: a row per running district,
 * naming the replica and run that hold it, until {@code expires_at} (renewed while the run goes on).
 * Every statement is a single atomic one, timed by the database's own clock: taking a free district
 * is an insert (the primary key lets one replica win), taking over a stale lease an update guarded by
 * {@code expires_at < now} (only one replica's update matches).
 */
final class ControlLeases implements DistrictLeases {
    /** A lease whose replica stopped renewing it. */
    record Stale(String district, String runId, String replica, String mode) {}

    private final ControlDatabase control;
    private final Replica replica;
    private final long ttlSeconds;
    private final String now;
    private final String expiry;

    ControlLeases(ControlDatabase control, Replica replica, Duration ttl) {
        this.control = control;
        this.replica = replica;
        this.ttlSeconds = Math.max(1, ttl.toSeconds());
        this.now = control.dialect().now;
        this.expiry = control.dialect().nowPlusSeconds;
    }

    @Override
    public boolean acquire(String district, String runId, String mode) {
        try (Connection c = control.dataSource().getConnection()) {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO district_leases"
                    + " (district, run_id, replica, mode, acquired_at, expires_at) VALUES (?, ?, ?, ?, " + now + ", " + expiry + ")")) {
                insert.setString(1, district);
                insert.setString(2, runId);
                insert.setString(3, replica.name());
                insert.setString(4, mode);
                insert.setLong(5, ttlSeconds);
                insert.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (!isDuplicateKey(e)) {
                    throw e;
                }
            }
            try (PreparedStatement takeOver = c.prepareStatement("UPDATE district_leases SET run_id = ?, replica = ?,"
                    + " mode = ?, acquired_at = " + now + ", expires_at = " + expiry + " WHERE district = ? AND expires_at < " + now)) {
                takeOver.setString(1, runId);
                takeOver.setString(2, replica.name());
                takeOver.setString(3, mode);
                takeOver.setLong(4, ttlSeconds);
                takeOver.setString(5, district);
                return takeOver.executeUpdate() == 1;
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public String holder(String district) {
        try (Connection c = control.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT replica, run_id FROM district_leases WHERE district = ?")) {
            ps.setString(1, district);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? "replica " + rs.getString(1) + ", run " + rs.getString(2) : null;
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public boolean renew(String district, String runId) {
        try (Connection c = control.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE district_leases SET expires_at = " + expiry
                     + " WHERE district = ? AND run_id = ?")) {
            ps.setLong(1, ttlSeconds);
            ps.setString(2, district);
            ps.setString(3, runId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void release(String district, String runId, boolean handOver) {
        String sql = handOver
                ? "UPDATE district_leases SET expires_at = " + now + " WHERE district = ? AND run_id = ?"
                : "DELETE FROM district_leases WHERE district = ? AND run_id = ?";
        try (Connection c = control.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, district);
            ps.setString(2, runId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Leases past their expiry: their replica died, or handed the run over when it shut down. */
    List<Stale> stale() {
        try (Connection c = control.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT district, run_id, replica, mode FROM district_leases"
                     + " WHERE expires_at < " + now + " ORDER BY district")) {
            List<Stale> stale = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stale.add(new Stale(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
            return stale;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** SQLSTATE class 23, integrity constraint violation: PostgreSQL's 23505, SQL Server's 23000 (2627). */
    private static boolean isDuplicateKey(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }

    private static IllegalStateException unavailable(SQLException e) {
        return new IllegalStateException("the control database is unavailable: " + e.getMessage(), e);
    }
}

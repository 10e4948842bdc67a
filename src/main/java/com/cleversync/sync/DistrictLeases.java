package com.cleversync.sync;

/**
 * Cluster-wide leases on districts: a district runs on one replica at a time, however its run was
 * started (a schedule, the management API, run-once, the startup sync, a takeover). The replica that
 * runs a district holds its lease and renews it; a lease that is not renewed goes stale and is taken
 * over. Without a control database the service is one replica, and {@link #SINGLE_REPLICA} grants
 * every lease ({@link DistrictRuns} itself keeps a district from running twice in one process).
 */
public interface DistrictLeases {
    DistrictLeases SINGLE_REPLICA = new DistrictLeases() {
        @Override
        public boolean acquire(String district, String runId, String mode) {
            return true;
        }

        @Override
        public String holder(String district) {
            return null;
        }

        @Override
        public boolean renew(String district, String runId) {
            return true;
        }

        @Override
        public void release(String district, String runId, boolean handOver) {
        }
    };

    /**
     * Takes the district's lease for a run, or takes over a stale one.
     *
     * @param mode what a replica that takes the run over resumes: {@code full} or {@code incremental}
     * @return false when another live replica holds it
     */
    boolean acquire(String district, String runId, String mode);

    /** Who holds the district's lease ("replica …, run …"), for messages; null when nobody does. */
    String holder(String district);

    /** Extends the run's lease; false when the run no longer holds it (another replica took it over). */
    boolean renew(String district, String runId);

    /**
     * Gives the lease up when the run ends.
     *
     * @param handOver the run was cut short by a shutdown: the lease is left stale instead of deleted,
     *                 so that another replica resumes the run at once
     */
    void release(String district, String runId, boolean handOver);
}

-- One row per district that is running somewhere in the cluster: the replica that runs it holds the
-- lease and renews it; a lease past expires_at belongs to a replica that died and is taken over.
-- Times are the database's own clock (UTC), so replicas never compare their clocks with each other.
CREATE TABLE district_leases (
    district    NVARCHAR(255) NOT NULL PRIMARY KEY,
    run_id      NVARCHAR(64)  NOT NULL,
    replica     NVARCHAR(255) NOT NULL,
    mode        NVARCHAR(16)  NOT NULL,
    acquired_at DATETIME2     NOT NULL,
    expires_at  DATETIME2     NOT NULL
);

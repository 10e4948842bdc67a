-- One row per district that is running somewhere in the cluster: the replica that runs it holds the
-- lease and renews it; a lease past expires_at belongs to a replica that died and is taken over.
-- Times are the database's own clock, so replicas never compare their clocks with each other.
CREATE TABLE district_leases (
    district    VARCHAR(255)             NOT NULL PRIMARY KEY,
    run_id      VARCHAR(64)              NOT NULL,
    replica     VARCHAR(255)             NOT NULL,
    mode        VARCHAR(16)              NOT NULL,
    acquired_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

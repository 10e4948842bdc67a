-- Data lifecycle (T-SQL; SQL Server / Azure SQL and H2 in MODE=MSSQLServer): incremental sync from
-- Clever events, archiving of records that leave Clever, and resuming an interrupted full sync.

-- How each run synced: full, resumed (a full sync continuing an interrupted one) or incremental.
ALTER TABLE sync_runs ADD sync_mode NVARCHAR(16) NULL;
-- Why a full sync ran where an incremental one was asked for (no cursor, cursor rejected or too old).
ALTER TABLE sync_runs ADD mode_reason NVARCHAR(MAX) NULL;
-- The run that started the full sync this run resumed.
ALTER TABLE sync_runs ADD resumed_run_id NVARCHAR(64) NULL;
-- Records of a resumed run that an earlier run had already committed (not written again).
ALTER TABLE sync_runs ADD records_resumed BIGINT NOT NULL DEFAULT 0;
-- Records archived (deleted_at set) by the run.
ALTER TABLE sync_runs ADD records_archived BIGINT NOT NULL DEFAULT 0;

-- Where the district's incremental sync stands in this school's database. Updated in the same
-- transaction as the events it covers.
CREATE TABLE sync_state (
    district          NVARCHAR(255) NOT NULL PRIMARY KEY,
    event_cursor      NVARCHAR(64)  NULL,      -- last applied Clever event; NULL: from the oldest retained
    cursor_checked_at DATETIME2     NOT NULL,  -- Clever's feed is known complete up to this time (UTC)
    full_sync_at      DATETIME2     NOT NULL   -- when the last full sync of this school completed (UTC)
);

-- A full sync of this school that has not completed: where the next run resumes.
CREATE TABLE sync_checkpoints (
    district          NVARCHAR(255) NOT NULL PRIMARY KEY,
    pass_id           NVARCHAR(64)  NOT NULL,  -- run id of the run that started this full sync
    event_cursor      NVARCHAR(64)  NULL,      -- newest Clever event when it started (NULL: none)
    cursor_checked_at DATETIME2     NOT NULL,  -- when it started (UTC)
    resource          NVARCHAR(32)  NULL,      -- list in progress; earlier lists are committed (NULL: none yet)
    last_id           NVARCHAR(MAX) NULL,      -- records of that list up to this id are committed
    records_done      BIGINT        NOT NULL,  -- records of this school committed so far
    updated_at        DATETIME2     NOT NULL
);

-- Ids a full sync has seen, so that at its end the records Clever no longer lists are archived.
CREATE TABLE sync_seen (
    pass_id  NVARCHAR(64) NOT NULL,
    resource NVARCHAR(32) NOT NULL,
    id       NVARCHAR(64) NOT NULL
);
CREATE INDEX ix_sync_seen ON sync_seen (pass_id, resource, id);

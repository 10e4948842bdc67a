-- Records read for the school that a later change of the same record replaced before they were
-- written: Clever's events feed sends one event per change, so a page can carry a record several
-- times. records_read = records_written + records_unchanged + records_rejected + records_superseded.
ALTER TABLE sync_runs ADD records_superseded BIGINT NOT NULL DEFAULT 0;

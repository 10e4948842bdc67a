-- A run's start marks its district's runs still RUNNING in this school as interrupted. The history
-- grows by a row per school and run (an incremental sync every 5 minutes is ~105,000 rows a year),
-- which that UPDATE read in full: 13-14 ms at 105,000 rows, 0.2-0.5 ms with this index.
CREATE INDEX ix_sync_runs_running ON sync_runs (district, status);

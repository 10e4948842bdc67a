-- A full sync's seen marks are only ever read whole, per pass (the reconciliation's NOT IN, which
-- PostgreSQL hashes, and the DELETE at the pass's end), so the index served no query; maintaining
-- it cost seven times the COPY of the marks themselves (135,000 marks: 0.56-0.68 s with it, 0.08 s
-- without). SQL Server and H2 keep theirs: H2 may probe NOT IN's subquery row by row.
DROP INDEX ix_sync_seen;

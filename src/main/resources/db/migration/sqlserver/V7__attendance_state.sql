-- Where a district's attendance sync stands in this school's database: every day up to read_through
-- has been read from source and committed, in the transaction of the batch that got there. A run
-- reads on from the day after it, and again the correction window before today.
CREATE TABLE attendance_state (
    district     NVARCHAR(255) NOT NULL PRIMARY KEY,
    source       NVARCHAR(16)  NOT NULL,
    read_through DATE          NOT NULL,
    updated_at   DATETIME2     NOT NULL
);

-- A student's attendance on a school day: the day's (section_id and period null) or a class period's,
-- from Clever (v3.1) or Aeries. Clever's records have no id: the id is made of what keys the record
-- at its source (student, date, and section or period), so a record read again is the same row.
-- Archived (deleted_at) when it disappears from its source inside the correction window; rows older
-- than the window are never touched again.
CREATE TABLE attendance (
    id                VARCHAR(200)  NOT NULL PRIMARY KEY,
    student_id        VARCHAR(64)   NOT NULL,
    date              DATE          NOT NULL,
    section_id        VARCHAR(64)   NULL,
    period            VARCHAR(32)   NULL,
    status            VARCHAR(32)   NOT NULL,
    excuse_code       VARCHAR(64)   NULL,
    source            VARCHAR(16)   NOT NULL,
    source_student_id VARCHAR(64)   NULL,
    raw_json          TEXT          NOT NULL,
    synced_at         TIMESTAMP     NOT NULL,
    deleted_at        TIMESTAMP     NULL
);
-- the school's day (or days), and a student over a range of dates
CREATE INDEX ix_attendance_date ON attendance (date, period);
CREATE INDEX ix_attendance_student ON attendance (student_id, date);

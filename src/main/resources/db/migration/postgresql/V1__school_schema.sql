-- CleverSync school schema, PostgreSQL (also Supabase). Mirrors sqlserver/V1__school_schema.sql.
-- Keys are Clever ids; all text is TEXT so nothing is ever truncated silently.
-- raw_json: the record exactly as Clever sent it; synced_at: when the row last changed (UTC);
-- deleted_at: archived (soft-deleted) when Clever stops listing the record.

CREATE TABLE schools (
    id            VARCHAR(64)   NOT NULL PRIMARY KEY,
    name          TEXT NULL,
    sis_id        TEXT NULL,
    school_number TEXT NULL,
    state_id      TEXT NULL,
    nces_id       TEXT NULL,
    low_grade     TEXT NULL,
    high_grade    TEXT NULL,
    last_modified TIMESTAMP     NULL,
    raw_json      TEXT NOT NULL,
    synced_at     TIMESTAMP     NOT NULL,
    deleted_at    TIMESTAMP     NULL
);

CREATE TABLE terms (
    id         VARCHAR(64)   NOT NULL PRIMARY KEY,
    name       TEXT NULL,
    start_date DATE          NULL,
    end_date   DATE          NULL,
    raw_json   TEXT NOT NULL,
    synced_at  TIMESTAMP     NOT NULL,
    deleted_at TIMESTAMP     NULL
);

CREATE TABLE courses (
    id         VARCHAR(64)   NOT NULL PRIMARY KEY,
    name       TEXT NULL,
    number     TEXT NULL,
    raw_json   TEXT NOT NULL,
    synced_at  TIMESTAMP     NOT NULL,
    deleted_at TIMESTAMP     NULL
);

CREATE TABLE teachers (
    id             VARCHAR(64)   NOT NULL PRIMARY KEY,
    first_name     TEXT NULL,
    last_name      TEXT NULL,
    email          TEXT NULL,
    title          TEXT NULL,
    sis_id         TEXT NULL,
    teacher_number TEXT NULL,
    state_id       TEXT NULL,
    school_id      VARCHAR(64)   NULL,
    last_modified  TIMESTAMP     NULL,
    raw_json       TEXT NOT NULL,
    synced_at      TIMESTAMP     NOT NULL,
    deleted_at     TIMESTAMP     NULL
);

CREATE TABLE staff (
    id            VARCHAR(64)   NOT NULL PRIMARY KEY,
    first_name    TEXT NULL,
    last_name     TEXT NULL,
    email         TEXT NULL,
    title         TEXT NULL,
    department    TEXT NULL,
    staff_id      TEXT NULL,
    last_modified TIMESTAMP     NULL,
    raw_json      TEXT NOT NULL,
    synced_at     TIMESTAMP     NOT NULL,
    deleted_at    TIMESTAMP     NULL
);

CREATE TABLE students (
    id              VARCHAR(64)   NOT NULL PRIMARY KEY,
    first_name      TEXT NULL,
    middle_name     TEXT NULL,
    last_name       TEXT NULL,
    grade           TEXT NULL,
    dob             DATE          NULL,
    gender          TEXT NULL,
    email           TEXT NULL,
    sis_id          TEXT NULL,
    student_number  TEXT NULL,
    state_id        TEXT NULL,
    school_id       VARCHAR(64)   NULL,
    graduation_year TEXT NULL,
    last_modified   TIMESTAMP     NULL,
    raw_json        TEXT NOT NULL,
    synced_at       TIMESTAMP     NOT NULL,
    deleted_at      TIMESTAMP     NULL
);
CREATE INDEX ix_students_school ON students (school_id);

CREATE TABLE sections (
    id             VARCHAR(64)   NOT NULL PRIMARY KEY,
    name           TEXT NULL,
    section_number TEXT NULL,
    period         TEXT NULL,
    subject        TEXT NULL,
    grade          TEXT NULL,
    course_id      VARCHAR(64)   NULL,
    term_id        VARCHAR(64)   NULL,
    teacher_id     VARCHAR(64)   NULL,
    school_id      VARCHAR(64)   NULL,
    sis_id         TEXT NULL,
    last_modified  TIMESTAMP     NULL,
    raw_json       TEXT NOT NULL,
    synced_at      TIMESTAMP     NOT NULL,
    deleted_at     TIMESTAMP     NULL
);

CREATE TABLE section_students (
    section_id VARCHAR(64)  NOT NULL,
    student_id VARCHAR(64)  NOT NULL,
    CONSTRAINT pk_section_students PRIMARY KEY (section_id, student_id)
);
CREATE INDEX ix_section_students_student ON section_students (student_id);

CREATE TABLE section_teachers (
    section_id VARCHAR(64)  NOT NULL,
    teacher_id VARCHAR(64)  NOT NULL,
    is_primary BOOLEAN      NOT NULL,
    CONSTRAINT pk_section_teachers PRIMARY KEY (section_id, teacher_id)
);
CREATE INDEX ix_section_teachers_teacher ON section_teachers (teacher_id);

-- The audit trail: one row per school per run.
CREATE TABLE sync_runs (
    run_id            VARCHAR(64)   NOT NULL PRIMARY KEY,
    district          VARCHAR(255) NOT NULL,
    school            VARCHAR(255) NOT NULL,
    "trigger"         VARCHAR(32)   NOT NULL,
    started_at        TIMESTAMP     NOT NULL,
    finished_at       TIMESTAMP     NULL,
    status            VARCHAR(16)  NOT NULL,
    records_read      BIGINT        NOT NULL,
    records_written   BIGINT        NOT NULL,
    records_unchanged BIGINT        NOT NULL,
    records_skipped   BIGINT        NOT NULL,
    records_rejected  BIGINT        NOT NULL,
    error_summary     TEXT NULL
);

-- Quarantine: records that could not be mapped or stored, with the reason.
CREATE TABLE sync_rejects (
    id          BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL PRIMARY KEY,
    run_id      VARCHAR(64)   NOT NULL,
    resource    VARCHAR(32)   NOT NULL,
    clever_id   TEXT NULL,
    reason      TEXT NOT NULL,
    raw_json    TEXT NULL,
    rejected_at TIMESTAMP     NOT NULL
);
CREATE INDEX ix_sync_rejects_run ON sync_rejects (run_id);

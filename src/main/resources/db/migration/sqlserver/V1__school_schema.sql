-- CleverSync school schema, T-SQL. Runs on SQL Server / Azure SQL and on H2 in MODE=MSSQLServer.
-- Keys are Clever ids; all text is NVARCHAR(MAX) so nothing is ever truncated silently.
-- raw_json: the record exactly as Clever sent it; synced_at: when the row last changed (UTC);
-- deleted_at: archived (soft-deleted) when Clever stops listing the record.

CREATE TABLE schools (
    id            NVARCHAR(64)  NOT NULL PRIMARY KEY,
    name          NVARCHAR(MAX) NULL,
    sis_id        NVARCHAR(MAX) NULL,
    school_number NVARCHAR(MAX) NULL,
    state_id      NVARCHAR(MAX) NULL,
    nces_id       NVARCHAR(MAX) NULL,
    low_grade     NVARCHAR(MAX) NULL,
    high_grade    NVARCHAR(MAX) NULL,
    last_modified DATETIME2     NULL,
    raw_json      NVARCHAR(MAX) NOT NULL,
    synced_at     DATETIME2     NOT NULL,
    deleted_at    DATETIME2     NULL
);

CREATE TABLE terms (
    id         NVARCHAR(64)  NOT NULL PRIMARY KEY,
    name       NVARCHAR(MAX) NULL,
    start_date DATE          NULL,
    end_date   DATE          NULL,
    raw_json   NVARCHAR(MAX) NOT NULL,
    synced_at  DATETIME2     NOT NULL,
    deleted_at DATETIME2     NULL
);

CREATE TABLE courses (
    id         NVARCHAR(64)  NOT NULL PRIMARY KEY,
    name       NVARCHAR(MAX) NULL,
    number     NVARCHAR(MAX) NULL,
    raw_json   NVARCHAR(MAX) NOT NULL,
    synced_at  DATETIME2     NOT NULL,
    deleted_at DATETIME2     NULL
);

CREATE TABLE teachers (
    id             NVARCHAR(64)  NOT NULL PRIMARY KEY,
    first_name     NVARCHAR(MAX) NULL,
    last_name      NVARCHAR(MAX) NULL,
    email          NVARCHAR(MAX) NULL,
    title          NVARCHAR(MAX) NULL,
    sis_id         NVARCHAR(MAX) NULL,
    teacher_number NVARCHAR(MAX) NULL,
    state_id       NVARCHAR(MAX) NULL,
    school_id      NVARCHAR(64)  NULL,
    last_modified  DATETIME2     NULL,
    raw_json       NVARCHAR(MAX) NOT NULL,
    synced_at      DATETIME2     NOT NULL,
    deleted_at     DATETIME2     NULL
);

CREATE TABLE staff (
    id            NVARCHAR(64)  NOT NULL PRIMARY KEY,
    first_name    NVARCHAR(MAX) NULL,
    last_name     NVARCHAR(MAX) NULL,
    email         NVARCHAR(MAX) NULL,
    title         NVARCHAR(MAX) NULL,
    department    NVARCHAR(MAX) NULL,
    staff_id      NVARCHAR(MAX) NULL,
    last_modified DATETIME2     NULL,
    raw_json      NVARCHAR(MAX) NOT NULL,
    synced_at     DATETIME2     NOT NULL,
    deleted_at    DATETIME2     NULL
);

CREATE TABLE students (
    id              NVARCHAR(64)  NOT NULL PRIMARY KEY,
    first_name      NVARCHAR(MAX) NULL,
    middle_name     NVARCHAR(MAX) NULL,
    last_name       NVARCHAR(MAX) NULL,
    grade           NVARCHAR(MAX) NULL,
    dob             DATE          NULL,
    gender          NVARCHAR(MAX) NULL,
    email           NVARCHAR(MAX) NULL,
    sis_id          NVARCHAR(MAX) NULL,
    student_number  NVARCHAR(MAX) NULL,
    state_id        NVARCHAR(MAX) NULL,
    school_id       NVARCHAR(64)  NULL,
    graduation_year NVARCHAR(MAX) NULL,
    last_modified   DATETIME2     NULL,
    raw_json        NVARCHAR(MAX) NOT NULL,
    synced_at       DATETIME2     NOT NULL,
    deleted_at      DATETIME2     NULL
);
CREATE INDEX ix_students_school ON students (school_id);

CREATE TABLE sections (
    id             NVARCHAR(64)  NOT NULL PRIMARY KEY,
    name           NVARCHAR(MAX) NULL,
    section_number NVARCHAR(MAX) NULL,
    period         NVARCHAR(MAX) NULL,
    subject        NVARCHAR(MAX) NULL,
    grade          NVARCHAR(MAX) NULL,
    course_id      NVARCHAR(64)  NULL,
    term_id        NVARCHAR(64)  NULL,
    teacher_id     NVARCHAR(64)  NULL,
    school_id      NVARCHAR(64)  NULL,
    sis_id         NVARCHAR(MAX) NULL,
    last_modified  DATETIME2     NULL,
    raw_json       NVARCHAR(MAX) NOT NULL,
    synced_at      DATETIME2     NOT NULL,
    deleted_at     DATETIME2     NULL
);

CREATE TABLE section_students (
    section_id NVARCHAR(64) NOT NULL,
    student_id NVARCHAR(64) NOT NULL,
    CONSTRAINT pk_section_students PRIMARY KEY (section_id, student_id)
);
CREATE INDEX ix_section_students_student ON section_students (student_id);

CREATE TABLE section_teachers (
    section_id NVARCHAR(64) NOT NULL,
    teacher_id NVARCHAR(64) NOT NULL,
    is_primary BIT          NOT NULL,
    CONSTRAINT pk_section_teachers PRIMARY KEY (section_id, teacher_id)
);
CREATE INDEX ix_section_teachers_teacher ON section_teachers (teacher_id);

-- The audit trail: one row per school per run.
CREATE TABLE sync_runs (
    run_id            NVARCHAR(64)  NOT NULL PRIMARY KEY,
    district          NVARCHAR(255) NOT NULL,
    school            NVARCHAR(255) NOT NULL,
    "trigger"         NVARCHAR(32)  NOT NULL,
    started_at        DATETIME2     NOT NULL,
    finished_at       DATETIME2     NULL,
    status            NVARCHAR(16)  NOT NULL,
    records_read      BIGINT        NOT NULL,
    records_written   BIGINT        NOT NULL,
    records_unchanged BIGINT        NOT NULL,
    records_skipped   BIGINT        NOT NULL,
    records_rejected  BIGINT        NOT NULL,
    error_summary     NVARCHAR(MAX) NULL
);

-- Quarantine: records that could not be mapped or stored, with the reason.
CREATE TABLE sync_rejects (
    id          BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    run_id      NVARCHAR(64)  NOT NULL,
    resource    NVARCHAR(32)  NOT NULL,
    clever_id   NVARCHAR(MAX) NULL,
    reason      NVARCHAR(MAX) NOT NULL,
    raw_json    NVARCHAR(MAX) NULL,
    rejected_at DATETIME2     NOT NULL
);
CREATE INDEX ix_sync_rejects_run ON sync_rejects (run_id);

-- Memberships a source sends as records of their own (OneRoster's enrollments): the id of that
-- record, by which it is later changed, deleted or found no longer listed. Null for memberships sent
-- with their section (Clever), which the section's sets replace.
ALTER TABLE section_students ADD source_id NVARCHAR(64) NULL;
ALTER TABLE section_teachers ADD source_id NVARCHAR(64) NULL;
CREATE INDEX ix_section_students_source ON section_students (source_id);
CREATE INDEX ix_section_teachers_source ON section_teachers (source_id);

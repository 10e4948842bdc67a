-- Memberships a source sends as records of their own (OneRoster's enrollments): the id of that
-- record, by which it is later changed, deleted or found no longer listed. Null for memberships sent
-- with their section (Clever), which the section's sets replace.
ALTER TABLE section_students ADD COLUMN source_id VARCHAR(64);
ALTER TABLE section_teachers ADD COLUMN source_id VARCHAR(64);
-- A record holds one membership, so its id is unique. Declared so: on a table never analyzed (a
-- school's first full sync writes it from empty) PostgreSQL's planner then still looks a batch's ids
-- up through the index, where a plain index lost to a scan of the whole table for every batch.
CREATE UNIQUE INDEX ix_section_students_source ON section_students (source_id) WHERE source_id IS NOT NULL;
CREATE UNIQUE INDEX ix_section_teachers_source ON section_teachers (source_id) WHERE source_id IS NOT NULL;

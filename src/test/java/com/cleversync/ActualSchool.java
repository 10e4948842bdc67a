package com.cleversync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What one school's database holds, read into the same shape as {@link ExpectedSchool}. */
public final class ActualSchool {
    private static final ObjectMapper JSON = new ObjectMapper();

    public final Map<String, List<Object>> schools;
    public final Map<String, List<Object>> students;
    public final Map<String, List<Object>> teachers;
    public final Map<String, List<Object>> staff;
    public final Map<String, List<Object>> sections;
    public final Map<String, List<Object>> terms;
    public final Map<String, List<Object>> courses;
    public final List<String> sectionStudents = new ArrayList<>();
    public final List<String> sectionTeachers = new ArrayList<>();

    public ActualSchool(SchoolDb db) {
        String active = " WHERE deleted_at IS NULL ORDER BY id";
        schools = rows(db, "SELECT id, name, sis_id, nces_id, raw_json FROM schools" + active);
        terms = rows(db, "SELECT id, name, start_date, raw_json FROM terms" + active);
        courses = rows(db, "SELECT id, name, number, raw_json FROM courses" + active);
        students = rows(db, "SELECT id, first_name, middle_name, last_name, grade, dob, email, school_id, raw_json FROM students" + active);
        teachers = rows(db, "SELECT id, first_name, last_name, title, school_id, raw_json FROM teachers" + active);
        staff = rows(db, "SELECT id, first_name, department, raw_json FROM staff" + active);
        sections = rows(db, "SELECT id, name, course_id, term_id, teacher_id, raw_json FROM sections" + active);
        db.query("SELECT section_id, student_id FROM section_students ORDER BY section_id, student_id")
                .forEach(r -> sectionStudents.add(r.get("section_id") + "|" + r.get("student_id")));
        db.query("SELECT section_id, teacher_id, is_primary FROM section_teachers ORDER BY section_id, teacher_id")
                .forEach(r -> sectionTeachers.add(r.get("section_id") + "|" + r.get("teacher_id") + "|" + r.get("is_primary")));
        sectionStudents.sort(null);
        sectionTeachers.sort(null);
    }

    /** Every column but the id, dates as ISO strings and raw_json parsed (compared as JSON, field by field). */
    private static Map<String, List<Object>> rows(SchoolDb db, String sql) {
        Map<String, List<Object>> rows = new TreeMap<>();
        for (Map<String, Object> r : db.query(sql)) {
            List<Object> values = new ArrayList<>(r.values());
            String id = (String) values.remove(0);
            for (int i = 0; i < values.size(); i++) {
                Object v = values.get(i);
                if (v instanceof java.sql.Date d) {
                    values.set(i, d.toLocalDate().toString());
                }
            }
            values.set(values.size() - 1, json((String) values.get(values.size() - 1)));
            rows.put(id, Arrays.asList(values.toArray()));
        }
        return rows;
    }

    private static JsonNode json(String raw) {
        try {
            return JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("raw_json is not JSON", e);
        }
    }
}

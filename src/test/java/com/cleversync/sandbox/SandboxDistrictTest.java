package com.cleversync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

class SandboxDistrictTest {

    private static final DateTimeFormatter DOB = DateTimeFormatter.ofPattern("M/d/uuuu").withResolverStyle(ResolverStyle.STRICT);
    private static final Set<String> CLEVER_GRADES = Set.of("Kindergarten", "1", "2", "3", "4", "5", "6", "7", "8", "9",
            "10", "11", "12", "Ungraded", "");
    /** Big enough for the percentages (2 % canaries, 1 % long names, 3 % empty sections) to show reliably. */
    private static final SandboxSize MEDIUM = new SandboxSize(12, 6000, 300, 40, 900, 25, 4, 60, 2024L);

    private final SandboxDistrict medium = new SandboxDistrict(MEDIUM);

    @Test
    void sameSeedGeneratesTheSameDistrictAndAnotherSeedADifferentOne() {
        SandboxDistrict first = new SandboxDistrict(SandboxSize.demo());
        SandboxDistrict again = new SandboxDistrict(SandboxSize.demo());
        SandboxSize demo = SandboxSize.demo();
        SandboxDistrict otherSeed = new SandboxDistrict(new SandboxSize(demo.schools(), demo.students(),
                demo.teachers(), demo.staff(), demo.sections(), demo.studentsPerSection(), demo.terms(), demo.courses(), 43L));

        for (SandboxResource resource : SandboxResource.values()) {
            assertThat(json(again, resource)).as(resource.name()).isEqualTo(json(first, resource));
            assertThat(json(otherSeed, resource)).as(resource.name()).isNotEqualTo(json(first, resource));
            assertThat(ids(otherSeed, resource)).as(resource.name()).isEqualTo(ids(first, resource));
        }
        assertThat(names(otherSeed)).isNotEqualTo(names(first));
        assertThat(otherSeed.id()).isNotEqualTo(first.id());
    }

    @Test
    void recordsCanBeGeneratedAloneInAnyOrder() {
        List<ObjectNode> students = medium.records(SandboxResource.STUDENTS).toList();

        for (int i : new int[] {5999, 0, 3117, 42}) {
            String id = students.get(i).get("id").asText();
            assertThat(medium.record(SandboxResource.STUDENTS, id)).contains(students.get(i));
        }
        assertThat(medium.record(SandboxResource.STUDENTS, "5a21ffffffffffffffffffff")).isEmpty();
        assertThat(medium.record(SandboxResource.TEACHERS, students.get(0).get("id").asText())).isEmpty();
    }

    @Test
    void idsAre24LowercaseHexAscendingAndDistinctAcrossResources() {
        Set<String> seen = new HashSet<>();
        for (SandboxResource resource : SandboxResource.values()) {
            List<String> ids = ids(medium, resource);
            assertThat(ids).as(resource.name()).hasSize((int) medium.count(resource)).isSorted()
                    .allMatch(id -> id.matches("[0-9a-f]{24}"));
            ids.forEach(id -> assertThat(seen.add(id)).as(id).isTrue());
        }
        assertThat(medium.id()).matches("[0-9a-f]{24}").isNotIn(seen);
        // /users without a role concatenates students, teachers and staff, so their ranges must ascend in that order
        assertThat(last(ids(medium, SandboxResource.STUDENTS))).isLessThan(ids(medium, SandboxResource.TEACHERS).get(0));
        assertThat(last(ids(medium, SandboxResource.TEACHERS))).isLessThan(ids(medium, SandboxResource.STAFF).get(0));
    }

    @Test
    void everySchoolHasStudentsAndSomeStudentsAttendTwoSchools() {
        Set<String> schools = new HashSet<>(ids(medium, SandboxResource.SCHOOLS));
        Map<String, Long> studentsPerSchool = new HashMap<>();
        int twoSchools = 0;
        for (ObjectNode student : medium.records(SandboxResource.STUDENTS).toList()) {
            JsonNode role = student.get("roles").get("student");
            String primary = role.get("school").asText();
            studentsPerSchool.merge(primary, 1L, Long::sum);
            assertThat(role.get("schools").get(0).asText()).isEqualTo(primary);
            assertThat(schools).contains(primary);
            if (role.get("schools").size() == 2) {
                twoSchools++;
                assertThat(role.get("schools").get(1).asText()).isNotEqualTo(primary).isIn(schools);
            }
            assertThat(role.get("enrollments")).hasSameSizeAs(role.get("schools"));
        }
        assertThat(studentsPerSchool.keySet()).isEqualTo(schools);
        assertThat(twoSchools).isBetween(150, 450);

        assertThat(medium.records(SandboxResource.TEACHERS).filter(t -> t.get("roles").get("teacher").get("schools").size() == 2))
                .isNotEmpty();
    }

    @Test
    void sectionsHoldStudentsOfTheirOwnSchoolAndSometimesNoneOrCoTeachers() {
        Map<String, String> schoolOfStudent = medium.records(SandboxResource.STUDENTS).collect(Collectors.toMap(
                s -> s.get("id").asText(), s -> s.get("roles").get("student").get("school").asText()));
        Map<String, String> schoolOfTeacher = medium.records(SandboxResource.TEACHERS).collect(Collectors.toMap(
                t -> t.get("id").asText(), t -> t.get("roles").get("teacher").get("school").asText()));
        Set<String> courses = new HashSet<>(ids(medium, SandboxResource.COURSES));
        Set<String> terms = new HashSet<>(ids(medium, SandboxResource.TERMS));

        int empty = 0;
        int coTaught = 0;
        List<Integer> sizes = new ArrayList<>();
        for (ObjectNode section : medium.records(SandboxResource.SECTIONS).toList()) {
            String school = section.get("school").asText();
            List<String> students = texts(section.get("students"));
            List<String> teachers = texts(section.get("teachers"));
            assertThat(new HashSet<>(students)).hasSameSizeAs(students);
            assertThat(students).allSatisfy(student -> assertThat(schoolOfStudent.get(student)).isEqualTo(school));
            assertThat(teachers.get(0)).isEqualTo(section.get("teacher").asText());
            assertThat(new HashSet<>(teachers)).hasSameSizeAs(teachers).hasSizeBetween(1, 4);
            assertThat(teachers).allSatisfy(teacher -> assertThat(schoolOfTeacher.get(teacher)).isEqualTo(school));
            assertThat(section.get("course").asText()).isIn(courses);
            assertThat(section.get("term_id").asText()).isIn(terms);
            empty += students.isEmpty() ? 1 : 0;
            coTaught += teachers.size() > 1 ? 1 : 0;
            if (!students.isEmpty()) {
                sizes.add(students.size());
            }
        }
        assertThat(empty).isBetween(10, 50);
        assertThat(coTaught).isBetween(45, 140);
        assertThat(sizes).allSatisfy(size -> assertThat(size).isBetween(15, 35));
        assertThat(sizes.stream().mapToInt(Integer::intValue).average().orElseThrow()).isBetween(22.0, 28.0);
    }

    @Test
    void dataIsAwkwardButWellFormed() {
        List<ObjectNode> students = medium.records(SandboxResource.STUDENTS).toList();
        List<ObjectNode> users = new ArrayList<>(students);
        users.addAll(medium.records(SandboxResource.TEACHERS).toList());
        users.addAll(medium.records(SandboxResource.STAFF).toList());

        assertThat(count(students, s -> s.get("name").get("last").asText().equals("Canarysson"))).isBetween(70, 180);
        assertThat(count(users, u -> u.get("name").get("last").asText().length() >= 1000)).isBetween(25, 110);
        assertThat(count(users, u -> !u.get("name").has("middle"))).isPositive();
        assertThat(count(students, s -> !s.has("email"))).isPositive();
        assertThat(count(students, s -> !s.get("roles").get("student").has("location"))).isPositive();
        assertThat(count(students, s -> !s.get("roles").get("student").has("graduation_year"))).isPositive();
        assertThat(users).anySatisfy(u -> assertThat(u.get("name").get("last").asText()).isEqualTo("O'Brien"));
        assertThat(users).anySatisfy(u -> assertThat(u.get("name").get("first").asText()).isEqualTo("Zoë"));
        assertThat(users).anySatisfy(u -> assertThat(u.get("name").get("last").asText()).isEqualTo("李"));

        for (ObjectNode student : students) {
            JsonNode role = student.get("roles").get("student");
            assertThat(CLEVER_GRADES).contains(role.get("grade").asText());
            LocalDate born = LocalDate.parse(role.get("dob").asText(), DOB);
            assertThat(born.getYear()).isBetween(2004, 2020);
            assertThat(student.get("created").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
            assertThat(student.get("last_modified").asText()).isGreaterThanOrEqualTo(student.get("created").asText());
            if (role.has("graduation_year")) {
                assertThat(Integer.parseInt(role.get("graduation_year").asText())).isBetween(2025, 2037);
            }
        }
        assertThat(count(students, s -> s.get("roles").get("student").get("grade").asText().equals("Ungraded"))).isPositive();

        assertThat(medium.records(SandboxResource.SCHOOLS).filter(s -> !s.has("principal"))).isNotEmpty();
        assertThat(medium.records(SandboxResource.SECTIONS).filter(s -> !s.has("period"))).isNotEmpty();
        assertThat(medium.records(SandboxResource.SECTIONS).filter(s -> !s.has("subject"))).isNotEmpty();
        assertThat(medium.records(SandboxResource.TERMS)).allSatisfy(term -> {
            assertThat(term.has("created")).isFalse();
            assertThat(LocalDate.parse(term.get("end_date").asText())).isAfter(LocalDate.parse(term.get("start_date").asText()));
        });
        assertThat(medium.records(SandboxResource.COURSES)).allSatisfy(course -> assertThat(course.has("last_modified")).isFalse());
    }

    @Test
    void putAndDeleteOverlayTheGeneratedRecordsInIdOrder() {
        SandboxDistrict district = new SandboxDistrict(SandboxSize.demo());
        List<String> generated = ids(district, SandboxResource.TEACHERS);
        ObjectNode longId = teacher(generated.get(2) + "-a-test-id-longer-than-24-characters");
        ObjectNode beyondAll = teacher("zzz-not-hex");
        ObjectNode beforeAll = teacher("0");
        ObjectNode replacement = teacher(generated.get(3)).put("replaced", true);

        district.put(SandboxResource.TEACHERS, longId);
        district.put(SandboxResource.TEACHERS, beyondAll);
        district.put(SandboxResource.TEACHERS, beforeAll);
        district.put(SandboxResource.TEACHERS, replacement);
        district.delete(SandboxResource.TEACHERS, generated.get(5));
        district.delete(SandboxResource.TEACHERS, "never-existed");

        List<ObjectNode> teachers = district.records(SandboxResource.TEACHERS).toList();
        List<String> ids = teachers.stream().map(t -> t.get("id").asText()).toList();
        assertThat(ids).isSorted().hasSize(42).doesNotContain(generated.get(5));
        assertThat(ids.get(0)).isEqualTo("0");
        assertThat(ids.get(4)).isEqualTo(longId.get("id").asText());
        assertThat(teachers.get(5)).isEqualTo(replacement);
        assertThat(last(ids)).isEqualTo("zzz-not-hex");
        assertThat(district.count(SandboxResource.TEACHERS)).isEqualTo(42);
        assertThat(district.record(SandboxResource.TEACHERS, generated.get(5))).isEmpty();
        assertThat(district.record(SandboxResource.TEACHERS, generated.get(3))).contains(replacement);

        // deleting an added record removes it; putting a deleted generated id back revives it
        district.delete(SandboxResource.TEACHERS, "zzz-not-hex");
        district.put(SandboxResource.TEACHERS, teacher(generated.get(5)));
        assertThat(district.count(SandboxResource.TEACHERS)).isEqualTo(42);
        assertThat(district.record(SandboxResource.TEACHERS, generated.get(5))).isPresent();
        assertThat(ids(district, SandboxResource.TEACHERS)).contains(generated.get(5)).doesNotContain("zzz-not-hex");
        // other resources are untouched
        assertThat(district.count(SandboxResource.STUDENTS)).isEqualTo(600);
    }

    @Test
    void storedAndReturnedRecordsAreCopies() {
        SandboxDistrict district = new SandboxDistrict(SandboxSize.demo());
        ObjectNode record = teacher("abc");
        district.put(SandboxResource.TEACHERS, record);

        record.put("changed", "after put");
        district.record(SandboxResource.TEACHERS, "abc").orElseThrow().put("changed", "after get");
        district.records(SandboxResource.TEACHERS).filter(t -> t.get("id").asText().equals("abc"))
                .forEach(t -> t.put("changed", "in stream"));

        assertThat(district.record(SandboxResource.TEACHERS, "abc").orElseThrow().has("changed")).isFalse();
    }

    @Test
    void theHistoryKeepsEveryChangeWithItsTimeAndOutlivesTheEvents() {
        SandboxDistrict district = new SandboxDistrict(SandboxSize.demo());
        Instant noon = Instant.parse("2026-11-23T12:00:00Z");
        district.clock(Clock.fixed(noon, ZoneOffset.UTC));
        ObjectNode student = district.records(SandboxResource.STUDENTS).findFirst().orElseThrow();
        String id = student.get("id").asText();
        ObjectNode renamed = student.deepCopy();
        ((ObjectNode) renamed.get("name")).put("first", "Renée");

        district.put(SandboxResource.STUDENTS, student);
        district.put(SandboxResource.STUDENTS, renamed);
        district.clock(Clock.fixed(noon.plusSeconds(1), ZoneOffset.UTC));
        district.delete(SandboxResource.STUDENTS, id);
        district.delete(SandboxResource.STUDENTS, id);
        district.expireEvents();

        // putting an equal record and deleting a missing one change nothing, so neither is history
        assertThat(district.history()).containsExactly(
                new SandboxDistrict.Change(SandboxResource.STUDENTS, id, student, renamed, noon),
                new SandboxDistrict.Change(SandboxResource.STUDENTS, id, renamed, null, noon.plusSeconds(1)));
        assertThat(district.eventCount()).isZero();
        assertThat(district.now()).isEqualTo(noon.plusSeconds(1));
        // what a reader changes in a change's record is its own copy
        district.history().get(0).after().put("id", "changed");
        assertThat(district.history().get(0).after()).isEqualTo(renamed);
    }

    @Test
    void putNeedsAStringId() {
        SandboxDistrict district = new SandboxDistrict(SandboxSize.demo());
        ObjectNode noId = JsonNodeFactory.instance.objectNode().put("name", "x");
        ObjectNode numericId = JsonNodeFactory.instance.objectNode().put("id", 7);

        assertThatThrownBy(() -> district.put(SandboxResource.SCHOOLS, noId)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> district.put(SandboxResource.SCHOOLS, numericId)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SandboxSize(0, 1, 1, 1, 1, 1, 1, 1, 1L)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a50000StudentDistrictStreamsOneRecordAtATime() {
        SandboxDistrict large = new SandboxDistrict(new SandboxSize(40, 50_000, 2_500, 200, 4_000, 25, 2, 80, 7L));

        long[] count = {0};
        String[] previous = {""};
        large.records(SandboxResource.STUDENTS).forEach(student -> {
            String id = student.get("id").asText();
            assertThat(id).isGreaterThan(previous[0]);
            previous[0] = id;
            count[0]++;
        });

        assertThat(count[0]).isEqualTo(50_000);
        assertThat(large.count(SandboxResource.STUDENTS)).isEqualTo(50_000);
    }

    @Test
    void smallDistrictsWithFewerTeachersOrStudentsThanSchoolsStillGenerate() {
        SandboxDistrict sparse = new SandboxDistrict(new SandboxSize(5, 3, 2, 0, 10, 4, 1, 0, 3L));

        List<ObjectNode> sections = sparse.records(SandboxResource.SECTIONS).toList();
        assertThat(sections).hasSize(10).allSatisfy(section -> {
            assertThat(section.get("teachers")).hasSize(1);
            assertThat(section.has("course")).isFalse();
        });
        assertThat(sparse.records(SandboxResource.TERMS).toList()).hasSize(1);
        assertThat(sparse.records(SandboxResource.STAFF)).isEmpty();
    }

    private static ObjectNode teacher(String id) {
        ObjectNode teacher = JsonNodeFactory.instance.objectNode().put("id", id);
        teacher.putObject("name").put("first", "Test").put("last", "Teacher");
        return teacher;
    }

    private static List<String> json(SandboxDistrict district, SandboxResource resource) {
        return district.records(resource).map(ObjectNode::toString).toList();
    }

    private static List<String> ids(SandboxDistrict district, SandboxResource resource) {
        return district.records(resource).map(record -> record.get("id").asText()).toList();
    }

    private static List<String> names(SandboxDistrict district) {
        return district.records(SandboxResource.STUDENTS).map(s -> s.get("name").toString()).toList();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static <T> int count(List<T> items, Predicate<T> predicate) {
        return (int) items.stream().filter(predicate).count();
    }

    private static String last(List<String> list) {
        return list.get(list.size() - 1);
    }
}

package com.cleversync.sandbox;

import static com.cleversync.sandbox.RosterVocabulary.CANARY_SURNAME;
import static com.cleversync.sandbox.RosterVocabulary.CITIES;
import static com.cleversync.sandbox.RosterVocabulary.COURSES;
import static com.cleversync.sandbox.RosterVocabulary.FIRST_NAMES;
import static com.cleversync.sandbox.RosterVocabulary.GENDERS;
import static com.cleversync.sandbox.RosterVocabulary.GRADES;
import static com.cleversync.sandbox.RosterVocabulary.LAST_NAMES;
import static com.cleversync.sandbox.RosterVocabulary.MIDDLE_NAMES;
import static com.cleversync.sandbox.RosterVocabulary.RACES;
import static com.cleversync.sandbox.RosterVocabulary.SCHOOL_LEVELS;
import static com.cleversync.sandbox.RosterVocabulary.SCHOOL_NAMES;
import static com.cleversync.sandbox.RosterVocabulary.STAFF_DEPARTMENTS;
import static com.cleversync.sandbox.RosterVocabulary.STAFF_TITLES;
import static com.cleversync.sandbox.RosterVocabulary.STREETS;
import static com.cleversync.sandbox.RosterVocabulary.TEACHER_TITLES;
import static com.cleversync.sandbox.RosterVocabulary.YES_NO;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.text.Normalizer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Builds record {@code i} of a resource from nothing but the district's size and seed: every record has its own
 * random stream, so any record can be generated alone, in any order, without remembering the others.
 * Relations are arithmetic, not lookups: user {@code i}'s primary school is {@code i % schools}, so the students
 * of school {@code s} are exactly the indexes {@code k * schools + s}.
 */
final class RecordGenerator {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Clever's timestamp format; events use it too, so both kinds of "created" read alike. */
    static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final long CREATED_FROM = Instant.parse("2023-07-01T00:00:00Z").toEpochMilli();
    private static final long DAY_MILLIS = 86_400_000L;
    private static final LocalDate SCHOOL_YEAR_START = LocalDate.of(2024, 8, 19);
    private static final LocalDate SCHOOL_YEAR_END = LocalDate.of(2025, 6, 13);
    /** Kindergarteners of the 2024-25 school year graduate in 2037 and were born around 2019. */
    private static final int KINDERGARTEN_GRADUATION = 2037;
    private static final int KINDERGARTEN_BIRTH_YEAR = 2019;
    private static final int LONG_NAME_LENGTH = 1000;
    /** Grade ranges (as indexes into GRADES) of elementary, middle and high schools. */
    private static final int[] LOW_GRADES = {0, 6, 9};
    private static final int[] HIGH_GRADES = {5, 8, 12};
    private static final String STAFF_DOMAIN = "@sandbox-district.example.org";
    private static final String STUDENT_DOMAIN = "@students.sandbox-district.example.org";

    private final SandboxSize size;
    private final String districtId;

    RecordGenerator(SandboxSize size, String districtId) {
        this.size = size;
        this.districtId = districtId;
    }

    ObjectNode generate(SandboxResource resource, long index) {
        return switch (resource) {
            case SCHOOLS -> school(index);
            case STUDENTS -> student(index);
            case TEACHERS -> teacher(index);
            case STAFF -> staff(index);
            case SECTIONS -> section(index);
            case TERMS -> term(index);
            case COURSES -> course(index);
        };
    }

    private ObjectNode school(long i) {
        SplittableRandom random = random(SandboxResource.SCHOOLS, i);
        int level = schoolLevel(i);
        ObjectNode school = record(SandboxResource.SCHOOLS, i);
        school.put("name", pick(random, SCHOOL_NAMES) + " " + SCHOOL_LEVELS[level]);
        school.put("sis_id", "SCH-" + (100 + i));
        school.put("school_number", String.valueOf(100 + i));
        school.put("state_id", "ST" + zeroPadded(300_000 + i, 8));
        school.put("nces_id", "06" + zeroPadded(random.nextLong(10_000_000_000L), 10));
        school.put("low_grade", GRADES[lowGrade(level)]);
        school.put("high_grade", GRADES[highGrade(level)]);
        if (random.nextInt(100) < 90) {
            PersonName principal = personName(random, false);
            ObjectNode node = school.putObject("principal");
            node.put("name", principal.first() + " " + principal.last());
            node.put("email", principal.login(i) + STAFF_DOMAIN);
        }
        school.set("location", location(random));
        school.put("phone", "(555) " + zeroPadded(random.nextInt(1000), 3) + "-" + zeroPadded(random.nextInt(10_000), 4));
        putTimestamps(school, random);
        return school;
    }

    private ObjectNode student(long i) {
        SplittableRandom random = random(SandboxResource.STUDENTS, i);
        int school = schoolOf(i);
        PersonName name = personName(random, true);
        String login = name.login(i);
        ObjectNode user = user(SandboxResource.STUDENTS, i, name, login, random, 95, STUDENT_DOMAIN);
        ObjectNode role = user.putObject("roles").putObject("student");
        role.put("sis_id", "S" + (i + 1));
        role.put("student_number", String.valueOf(100_000 + i));
        role.put("state_id", "7" + zeroPadded(i, 9));
        role.put("school", schoolId(school));
        ArrayNode schools = schools(role, random, school);

        int level = schoolLevel(school);
        int grade = lowGrade(level) + random.nextInt(highGrade(level) - lowGrade(level) + 1);
        int gradeKind = random.nextInt(100);
        role.put("grade", gradeKind < 2 ? "Ungraded" : gradeKind < 3 ? "" : GRADES[grade]);
        role.put("dob", dateOfBirth(random, grade));
        role.put("gender", pick(random, GENDERS));
        if (random.nextInt(100) < 95) {
            role.put("graduation_year", String.valueOf(KINDERGARTEN_GRADUATION - grade));
        }
        role.put("race", pick(random, RACES));
        role.put("hispanic_ethnicity", pick(random, YES_NO));
        role.put("ell_status", pick(random, YES_NO));
        role.putObject("credentials").put("district_username", login);
        if (random.nextInt(100) < 90) {
            role.set("location", location(random));
        }
        ArrayNode enrollments = role.putArray("enrollments");
        for (int s = 0; s < schools.size(); s++) {
            ObjectNode enrollment = enrollments.addObject();
            enrollment.put("school", schools.get(s).asText());
            enrollment.put("start_date", SCHOOL_YEAR_START.toString());
            enrollment.put("end_date", SCHOOL_YEAR_END.toString());
        }
        return user;
    }

    private ObjectNode teacher(long i) {
        SplittableRandom random = random(SandboxResource.TEACHERS, i);
        PersonName name = personName(random, false);
        String login = name.login(i);
        ObjectNode user = user(SandboxResource.TEACHERS, i, name, login, random, 98, STAFF_DOMAIN);
        ObjectNode role = user.putObject("roles").putObject("teacher");
        role.put("sis_id", "T" + (i + 1));
        role.put("teacher_number", String.valueOf(50_000 + i));
        role.put("state_id", "8" + zeroPadded(i, 9));
        role.put("title", pick(random, TEACHER_TITLES));
        role.put("school", schoolId(schoolOf(i)));
        schools(role, random, schoolOf(i));
        role.putObject("credentials").put("district_username", login);
        return user;
    }

    private ObjectNode staff(long i) {
        SplittableRandom random = random(SandboxResource.STAFF, i);
        PersonName name = personName(random, false);
        String login = name.login(i);
        ObjectNode user = user(SandboxResource.STAFF, i, name, login, random, 98, STAFF_DOMAIN);
        ObjectNode role = user.putObject("roles").putObject("staff");
        role.put("staff_id", "STF" + (i + 1));
        role.put("department", pick(random, STAFF_DEPARTMENTS));
        role.put("title", pick(random, STAFF_TITLES));
        schools(role, random, schoolOf(i));
        role.putObject("credentials").put("district_username", login);
        return user;
    }

    private ObjectNode section(long j) {
        SplittableRandom random = random(SandboxResource.SECTIONS, j);
        int school = schoolOf(j);
        ObjectNode section = record(SandboxResource.SECTIONS, j);
        String number = String.valueOf(1000 + j);
        int course = size.courses() > 0 ? random.nextInt(size.courses()) : -1;
        String[] title = course >= 0 ? COURSES[courseTitle(course)] : new String[] {"Section " + number, "other"};
        String period = random.nextInt(100) < 95 ? String.valueOf(1 + random.nextInt(8)) : null;
        section.put("name", period != null ? title[0] + " - Period " + period : title[0] + " (" + number + ")");
        section.put("section_number", number);
        if (period != null) {
            section.put("period", period);
        }
        if (random.nextInt(100) < 95) {
            section.put("subject", title[1]);
        }
        int level = schoolLevel(school);
        section.put("grade", GRADES[lowGrade(level) + random.nextInt(highGrade(level) - lowGrade(level) + 1)]);
        if (course >= 0) {
            section.put("course", CleverIds.of(SandboxResource.COURSES, course));
        }
        if (size.terms() > 0) {
            section.put("term_id", CleverIds.of(SandboxResource.TERMS, random.nextInt(size.terms())));
        }
        section.put("school", schoolId(school));
        ArrayNode teachers = sectionTeachers(random, school);
        if (!teachers.isEmpty()) {
            section.put("teacher", teachers.get(0).asText());
        }
        section.set("teachers", teachers);
        section.set("students", sectionStudents(random, school));
        section.put("sis_id", "SEC-" + (j + 1));
        putTimestamps(section, random);
        return section;
    }

    /** The school year split into equal consecutive terms. */
    private ObjectNode term(long i) {
        ObjectNode term = record(SandboxResource.TERMS, i);
        long days = SCHOOL_YEAR_END.toEpochDay() - SCHOOL_YEAR_START.toEpochDay() + 1;
        LocalDate start = SCHOOL_YEAR_START.plusDays(days * i / size.terms());
        LocalDate end = SCHOOL_YEAR_START.plusDays(days * (i + 1) / size.terms() - 1);
        String kind = switch (size.terms()) {
            case 2 -> "Semester";
            case 3 -> "Trimester";
            case 4 -> "Quarter";
            default -> "Term";
        };
        term.put("name", "2024–2025 " + kind + " " + (i + 1));
        term.put("start_date", start.toString());
        term.put("end_date", end.toString());
        return term;
    }

    private ObjectNode course(long i) {
        ObjectNode course = record(SandboxResource.COURSES, i);
        course.put("name", COURSES[courseTitle(i)][0]);
        course.put("number", "C-" + (100 + i));
        return course;
    }

    /** Sections need their course's title; it is the first draw of the course's own stream. */
    private int courseTitle(long course) {
        return random(SandboxResource.COURSES, course).nextInt(COURSES.length);
    }

    /** Primary teacher first, then (for about 10 %) one to three distinct co-teachers of the same school. */
    private ArrayNode sectionTeachers(SplittableRandom random, int school) {
        ArrayNode teachers = JSON.arrayNode();
        long here = membersOfSchool(size.teachers(), school);
        if (here == 0) {
            // only when there are fewer teachers than schools: borrow one from another school
            if (size.teachers() > 0) {
                teachers.add(CleverIds.of(SandboxResource.TEACHERS, random.nextInt(size.teachers())));
            }
            return teachers;
        }
        long primary = random.nextLong(here);
        teachers.add(teacherOfSchool(primary, school));
        if (here > 1 && random.nextInt(100) < 10) {
            int coTeachers = (int) Math.min(1 + random.nextInt(3), here - 1);
            // positions primary+offset+1 .. primary+offset+coTeachers (mod here) never wrap onto the primary
            long offset = random.nextLong(here - coTeachers);
            for (int r = 1; r <= coTeachers; r++) {
                teachers.add(teacherOfSchool((primary + offset + r) % here, school));
            }
        }
        return teachers;
    }

    /** About 3 % of sections are empty; the others hold a mean-sized ±40 % sample of the school's students. */
    private ArrayNode sectionStudents(SplittableRandom random, int school) {
        ArrayNode students = JSON.arrayNode();
        long here = membersOfSchool(size.students(), school);
        boolean empty = random.nextInt(100) < 3;
        if (empty || here == 0 || size.studentsPerSection() == 0) {
            return students;
        }
        long wanted = Math.round(size.studentsPerSection() * (0.6 + 0.8 * random.nextDouble()));
        int count = (int) Math.min(here, Math.max(1, wanted));
        // Floyd's sampling: count distinct positions out of "here" with a set no bigger than the section
        Set<Long> chosen = new HashSet<>(count * 2);
        for (long j = here - count; j < here; j++) {
            long candidate = random.nextLong(j + 1);
            chosen.add(chosen.contains(candidate) ? j : candidate);
        }
        long[] positions = chosen.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(positions);
        for (long position : positions) {
            students.add(CleverIds.of(SandboxResource.STUDENTS, position * size.schools() + school));
        }
        return students;
    }

    /** Primary school first; about 5 % of users also belong to the next school. */
    private ArrayNode schools(ObjectNode role, SplittableRandom random, int primary) {
        ArrayNode schools = role.putArray("schools");
        schools.add(schoolId(primary));
        if (size.schools() > 1 && random.nextInt(100) < 5) {
            schools.add(schoolId((primary + 1) % size.schools()));
        }
        return schools;
    }

    private ObjectNode user(SandboxResource resource, long i, PersonName name, String login, SplittableRandom random,
                            int emailPercent, String domain) {
        ObjectNode user = record(resource, i);
        user.set("name", name.toJson());
        if (random.nextInt(100) < emailPercent) {
            user.put("email", login + domain);
        }
        putTimestamps(user, random);
        return user;
    }

    private ObjectNode record(SandboxResource resource, long index) {
        ObjectNode record = JSON.objectNode();
        record.put("id", CleverIds.of(resource, index));
        record.put("district", districtId);
        return record;
    }

    private PersonName personName(SplittableRandom random, boolean student) {
        String first = pick(random, FIRST_NAMES);
        String middle = random.nextInt(100) < 70 ? pick(random, MIDDLE_NAMES) : null;
        int surname = random.nextInt(1000);
        String last;
        if (surname < 10) {
            last = longSurname(random);
        } else if (student && surname < 30) {
            last = CANARY_SURNAME;
        } else {
            last = pick(random, LAST_NAMES);
        }
        return new PersonName(first, middle, last);
    }

    /** A hyphenated chain of surnames of at least 1000 characters, the kind that overflows VARCHAR(255). */
    private static String longSurname(SplittableRandom random) {
        StringBuilder name = new StringBuilder(LONG_NAME_LENGTH + 40);
        int next = random.nextInt(LAST_NAMES.length);
        while (name.length() < LONG_NAME_LENGTH) {
            if (name.length() > 0) {
                name.append('-');
            }
            name.append(LAST_NAMES[next++ % LAST_NAMES.length]);
        }
        return name.toString();
    }

    private static ObjectNode location(SplittableRandom random) {
        String[] city = CITIES[random.nextInt(CITIES.length)];
        ObjectNode location = JSON.objectNode();
        location.put("address", (1 + random.nextInt(9999)) + " " + pick(random, STREETS));
        location.put("city", city[0]);
        location.put("state", city[1]);
        // zero-padded on purpose: New England zips start with 0 and must survive as text
        location.put("zip", zeroPadded(random.nextInt(100_000), 5));
        return location;
    }

    /** A valid M/D/YYYY date of birth that fits the grade (school-year cut-off 1 September). */
    private static String dateOfBirth(SplittableRandom random, int grade) {
        int month = 1 + random.nextInt(12);
        int year = KINDERGARTEN_BIRTH_YEAR - grade - (month >= 9 ? 1 : 0);
        int day = 1 + random.nextInt(Month.of(month).length(Year.isLeap(year)));
        return month + "/" + day + "/" + year;
    }

    private static void putTimestamps(ObjectNode record, SplittableRandom random) {
        long created = CREATED_FROM + random.nextLong(365 * DAY_MILLIS);
        long modified = created + random.nextLong(400 * DAY_MILLIS);
        record.put("created", TIMESTAMP.format(Instant.ofEpochMilli(created)));
        record.put("last_modified", TIMESTAMP.format(Instant.ofEpochMilli(modified)));
    }

    private String schoolId(int school) {
        return CleverIds.of(SandboxResource.SCHOOLS, school);
    }

    private String teacherOfSchool(long position, int school) {
        return CleverIds.of(SandboxResource.TEACHERS, position * size.schools() + school);
    }

    private int schoolOf(long index) {
        return (int) (index % size.schools());
    }

    /** How many of {@code total} users have {@code school} as primary school, i.e. indexes k * schools + school. */
    private long membersOfSchool(long total, int school) {
        return total > school ? (total - 1 - school) / size.schools() + 1 : 0;
    }

    /** Schools cycle elementary, middle, high; students' grades stay within their school's range. */
    private static int schoolLevel(long school) {
        return (int) (school % SCHOOL_LEVELS.length);
    }

    private static int lowGrade(int level) {
        return LOW_GRADES[level];
    }

    private static int highGrade(int level) {
        return HIGH_GRADES[level];
    }

    /**
     * One stream per record. The multipliers are large odd constants so that neighbouring seeds, resources and
     * indexes never share a stream (a plain {@code seed * 31 + i} would make seed 43 a shifted copy of seed 42).
     */
    private SplittableRandom random(SandboxResource resource, long index) {
        return new SplittableRandom(size.seed() * 0x9E3779B97F4A7C15L
                + (resource.ordinal() + 1) * 0xC2B2AE3D27D4EB4FL + index);
    }

    private static String pick(SplittableRandom random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String zeroPadded(long value, int width) {
        String digits = Long.toString(value);
        return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
    }

    private record PersonName(String first, String middle, String last) {

        ObjectNode toJson() {
            ObjectNode name = JSON.objectNode();
            name.put("first", first);
            if (middle != null) {
                name.put("middle", middle);
            }
            name.put("last", last);
            return name;
        }

        /** An ASCII login like "zoe.obrien42": accents folded, other characters dropped, index keeps it unique. */
        String login(long index) {
            String folded = ascii(first) + "." + ascii(last);
            String base = folded.length() > 30 ? folded.substring(0, 30) : folded;
            return (base.equals(".") ? "user" : base) + index;
        }

        private static String ascii(String text) {
            String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
            StringBuilder ascii = new StringBuilder(decomposed.length());
            for (int i = 0; i < decomposed.length() && ascii.length() < 30; i++) {
                char c = Character.toLowerCase(decomposed.charAt(i));
                if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                    ascii.append(c);
                }
            }
            return ascii.toString();
        }
    }
}

package com.cleversync.oneroster;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import com.cleversync.sandbox.oneroster.OneRosterSandbox;
import com.cleversync.school.SchoolRecord;
import com.cleversync.school.SchoolTable;
import com.cleversync.school.SourcePage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reading a whole district from the OneRoster simulator over loopback HTTP, as a full sync will: a
 * token, then every collection paged with limit and offset until a short page, each page parsed with
 * {@link OneRosterPage} and mapped by {@link OneRosterRecords#listReader()}. What comes out is exactly the
 * generated district, in 1.1 and in 1.2.
 *
 * <p>The generator's awkward records (surnames of 1000 characters, apostrophes, other scripts and an
 * emoji, students without grade or e-mail, sections without period, empty or co-taught, users in two
 * schools) are all storable in OneRoster's shape too: none is rejected. The demo district holds each
 * kind, which the test checks before relying on it.
 */
class OneRosterSandboxReadTest {
    /** 21 students in 3 schools, 9 sections: small enough to know, read in pages of 7 so that most lists take several. */
    private static final SandboxSize SMALL = new SandboxSize(3, 21, 6, 2, 9, 5, 2, 4, 7L);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** A safety net only: a simulator that hangs fails the test instead of stalling the build. */
    private static final Duration SAFETY_TIMEOUT = Duration.ofSeconds(20);

    private final OneRosterRecords records = new OneRosterRecords();

    @ParameterizedTest(name = "OneRoster {0}, {1} district, pages of {2}")
    @CsvSource({"1.1, small, 7", "1.2, small, 7", "1.1, demo, 100", "1.2, demo, 100"})
    void aFullReadOfEveryCollectionIsExactlyTheDistrict(String version, String size, int limit) {
        SandboxDistrict district = new SandboxDistrict(size.equals("small") ? SMALL : SandboxSize.demo());
        if (size.equals("demo")) {
            assertAwkwardRecords(district);
        }
        Map<SchoolTable, Map<String, SchoolRecord>> read = new EnumMap<>(SchoolTable.class);
        Map<OneRosterCollection, Integer> listed = new EnumMap<>(OneRosterCollection.class);
        try (OneRosterSandbox sandbox = OneRosterSandbox.start(district,
                OneRosterSandbox.Settings.defaults().withVersion(version))) {
            String token = token(sandbox);
            for (OneRosterCollection collection : OneRosterCollection.LISTS) {
                listed.put(collection, readAll(sandbox, token, collection, limit, read));
            }
        }

        List<SchoolRecord> all = read.values().stream().flatMap(byId -> byId.values().stream()).toList();
        assertThat(all).filteredOn(SchoolRecord::rejected).as("rejected records").isEmpty();
        assertThat(read.keySet()).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(SchoolTable.ROWS.stream(), SchoolTable.MEMBERSHIPS.stream()).toList());

        // the district org is listed but not stored
        assertThat(listed.get(OneRosterCollection.ORGS)).isEqualTo(district.count(SandboxResource.SCHOOLS) + 1);
        assertThat(listed.get(OneRosterCollection.USERS)).isEqualTo(district.count(SandboxResource.STUDENTS)
                + district.count(SandboxResource.TEACHERS) + district.count(SandboxResource.STAFF));

        assertThat(read.get(SchoolTable.SCHOOLS).keySet()).containsExactlyInAnyOrderElementsOf(ids(district, SandboxResource.SCHOOLS));
        district.records(SandboxResource.SCHOOLS).forEach(school -> {
            SchoolRecord row = read.get(SchoolTable.SCHOOLS).get(school.get("id").asText());
            assertThat(column(row, "name")).isEqualTo(school.get("name").asText());
            assertThat(column(row, "school_number")).isEqualTo(school.get("school_number").asText());
            assertThat(row.schools()).containsExactly(school.get("id").asText());
        });
        assertThat(read.get(SchoolTable.TERMS).keySet()).containsExactlyInAnyOrderElementsOf(ids(district, SandboxResource.TERMS));
        assertThat(read.get(SchoolTable.TERMS).values()).allSatisfy(term -> assertThat(term.belongsToEverySchool()).isTrue());
        assertThat(read.get(SchoolTable.COURSES).keySet()).containsExactlyInAnyOrderElementsOf(ids(district, SandboxResource.COURSES));

        assertUsers(district, read, SandboxResource.STUDENTS, SchoolTable.STUDENTS, version);
        assertUsers(district, read, SandboxResource.TEACHERS, SchoolTable.TEACHERS, version);
        assertUsers(district, read, SandboxResource.STAFF, SchoolTable.STAFF, version);

        assertThat(read.get(SchoolTable.SECTIONS).keySet()).containsExactlyInAnyOrderElementsOf(ids(district, SandboxResource.SECTIONS));
        district.records(SandboxResource.SECTIONS).forEach(section -> {
            SchoolRecord row = read.get(SchoolTable.SECTIONS).get(section.get("id").asText());
            assertThat(column(row, "name")).isEqualTo(section.get("name").asText());
            assertThat(column(row, "school_id")).isEqualTo(section.get("school").asText());
            assertThat(column(row, "course_id")).isEqualTo(text(section, "course"));
            assertThat(column(row, "term_id")).isEqualTo(text(section, "term_id"));
            assertThat(column(row, "period")).isEqualTo(text(section, "period"));
            assertThat(row.schools()).containsExactly(section.get("school").asText());
            assertThat(row.students()).isNull();
        });

        Set<String> studentPairs = new LinkedHashSet<>();
        Set<String> teacherPairs = new LinkedHashSet<>();
        district.records(SandboxResource.SECTIONS).forEach(section -> {
            String id = section.get("id").asText();
            section.get("students").forEach(student -> studentPairs.add(id + " " + student.asText()));
            section.get("teachers").forEach(teacher -> teacherPairs.add(id + " " + teacher.asText() + " "
                    + teacher.asText().equals(text(section, "teacher"))));
        });
        assertThat(studentPairs).isNotEmpty();
        assertThat(read.get(SchoolTable.SECTION_STUDENTS).values())
                .extracting(m -> m.values()[0] + " " + m.values()[1])
                .containsExactlyInAnyOrderElementsOf(studentPairs);
        assertThat(read.get(SchoolTable.SECTION_TEACHERS).values())
                .extracting(m -> m.values()[0] + " " + m.values()[1] + " " + m.values()[2])
                .containsExactlyInAnyOrderElementsOf(teacherPairs);
        Map<String, String> schoolOfSection = district.records(SandboxResource.SECTIONS)
                .collect(Collectors.toMap(s -> s.get("id").asText(), s -> s.get("school").asText()));
        for (SchoolTable membership : SchoolTable.MEMBERSHIPS) {
            assertThat(read.get(membership).values()).allSatisfy(m ->
                    assertThat(m.schools()).containsExactly(schoolOfSection.get((String) m.values()[0])));
        }
    }

    /** The demo district holds every kind of awkward record the generator makes, so the read above meets them all. */
    private static void assertAwkwardRecords(SandboxDistrict district) {
        List<ObjectNode> students = district.records(SandboxResource.STUDENTS).toList();
        assertThat(students).anySatisfy(s -> assertThat(s.at("/name/last").asText()).hasSizeGreaterThanOrEqualTo(1000));
        assertThat(students).anySatisfy(s -> assertThat(s.at("/name/first").asText()).contains("🌊"));
        assertThat(students).anySatisfy(s -> assertThat(s.get("name").toString()).contains("'"));
        assertThat(students).anySatisfy(s -> assertThat(s.at("/roles/student/grade").asText()).isEmpty());
        assertThat(students).anySatisfy(s -> assertThat(s.has("email")).isFalse());
        assertThat(students).anySatisfy(s -> assertThat(s.at("/roles/student/schools")).hasSize(2));
        List<ObjectNode> sections = district.records(SandboxResource.SECTIONS).toList();
        assertThat(sections).anySatisfy(s -> assertThat(s.has("period")).isFalse());
        assertThat(sections).anySatisfy(s -> assertThat(s.get("teachers").size()).isGreaterThan(1));
        assertThat(sections).anySatisfy(s -> assertThat(s.get("students")).isEmpty());
    }

    /** Exactly the district's users of the resource, each in its schools, with its names and ids as Clever has them. */
    private static void assertUsers(SandboxDistrict district, Map<SchoolTable, Map<String, SchoolRecord>> read,
                                    SandboxResource resource, SchoolTable table, String version) {
        String cleverRole = Map.of(SandboxResource.STUDENTS, "student", SandboxResource.TEACHERS, "teacher",
                SandboxResource.STAFF, "staff").get(resource);
        Map<String, SchoolRecord> rows = read.get(table);
        assertThat(rows.keySet()).as(table.tableName()).containsExactlyInAnyOrderElementsOf(ids(district, resource));
        district.records(resource).forEach(user -> {
            SchoolRecord row = rows.get(user.get("id").asText());
            JsonNode role = user.at("/roles/" + cleverRole);
            List<String> schools = new ArrayList<>();
            role.get("schools").forEach(school -> schools.add(school.asText()));
            assertThat(row.schools()).containsExactlyElementsOf(schools);
            assertThat(column(row, "first_name")).isEqualTo(user.at("/name/first").asText());
            assertThat(column(row, "last_name")).isEqualTo(user.at("/name/last").asText());
            assertThat(column(row, "email")).isEqualTo(text(user, "email"));
            assertThat(column(row, "last_modified"))
                    .isEqualTo(LocalDateTime.ofInstant(Instant.parse(user.get("last_modified").asText()), ZoneOffset.UTC));
            if (resource == SandboxResource.STAFF) {
                assertThat(column(row, "staff_id")).isEqualTo(role.get("staff_id").asText());
                assertThat(column(row, "title")).isEqualTo(version.equals("1.1") ? "administrator" : "siteAdministrator");
            } else {
                assertThat(column(row, "sis_id")).isEqualTo(role.get("sis_id").asText());
                assertThat(column(row, "school_id")).isEqualTo(role.get("school").asText());
                assertThat(column(row, "state_id")).isEqualTo(version.equals("1.1") ? null : role.get("state_id").asText());
            }
            if (resource == SandboxResource.STUDENTS) {
                assertThat(column(row, "middle_name")).isEqualTo(text(user.get("name"), "middle"));
            }
        });
    }

    /**
     * Pages through the collection with limit and offset until a short page, as a full sync reads it, and
     * files the rows by table and id; returns how many records were listed. Each record's raw JSON is
     * checked to be the bytes the simulator sent for it.
     */
    private int readAll(OneRosterSandbox sandbox, String token, OneRosterCollection collection, int limit,
                        Map<SchoolTable, Map<String, SchoolRecord>> read) {
        int offset = 0;
        while (true) {
            HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(sandbox.apiUrl() + "/"
                    + collection.path() + "?limit=" + limit + "&offset=" + offset)).GET()
                    .header("Authorization", "Bearer " + token));
            assertThat(response.statusCode()).as(collection.label()).isEqualTo(200);
            OneRosterPage<SchoolRecord> page = OneRosterPage.parse(collection,
                    new ByteArrayInputStream(response.body()), records.listReader());
            SourcePage.Listed listed = (SourcePage.Listed) records.listed(page, String.valueOf(offset + page.size()));
            assertThat(listed.list()).isEqualTo(collection.label());
            assertSentAsIs(collection, response.body(), listed.records());
            for (SchoolRecord record : listed.records()) {
                SchoolRecord earlier = read.computeIfAbsent(record.table(), t -> new HashMap<>()).put(record.id(), record);
                assertThat(earlier).as("%s %s read twice", record.table().tableName(), record.id()).isNull();
            }
            offset += page.size();
            if (page.size() < limit) {
                return offset;
            }
        }
    }

    /** Each row's raw JSON is a piece of the body, and exactly the record of that sourcedId on the page. */
    private static void assertSentAsIs(OneRosterCollection collection, byte[] body, List<SchoolRecord> rows) {
        String text = new String(body, StandardCharsets.UTF_8);
        JsonNode envelope = parse(text);
        Map<String, JsonNode> sent = new HashMap<>();
        envelope.get(collection.path()).forEach(record -> sent.put(record.get("sourcedId").asText(), record));
        for (SchoolRecord row : rows) {
            assertThat(text).contains(row.rawJson());
            assertThat(parse(row.rawJson())).isEqualTo(sent.get(row.id()));
        }
    }

    private static String token(OneRosterSandbox sandbox) {
        OneRosterSandbox.Settings settings = sandbox.settings();
        String basic = Base64.getEncoder().encodeToString((settings.clientId() + ":" + settings.clientSecret())
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(sandbox.tokenUrl()))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
        assertThat(response.statusCode()).isEqualTo(200);
        return parse(new String(response.body(), StandardCharsets.UTF_8)).get("access_token").asText();
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(SAFETY_TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> ids(SandboxDistrict district, SandboxResource resource) {
        return district.records(resource).map(record -> record.get("id").asText()).toList();
    }

    private static Object column(SchoolRecord row, String name) {
        List<String> names = row.table().columns().stream().map(SchoolTable.Column::name).toList();
        return row.values()[names.indexOf(name)];
    }

    /** A text field of a generated record, or null when it has none. */
    private static String text(JsonNode record, String field) {
        JsonNode value = record.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

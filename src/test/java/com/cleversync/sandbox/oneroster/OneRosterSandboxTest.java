package com.cleversync.sandbox.oneroster;

import static com.cleversync.sandbox.oneroster.RosterClient.MAPPER;
import static com.cleversync.sandbox.oneroster.RosterClient.basic;
import static com.cleversync.sandbox.oneroster.RosterClient.links;
import static com.cleversync.sandbox.oneroster.RosterClient.parse;
import static com.cleversync.sandbox.oneroster.RosterClient.totalCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxFaults;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * The OneRoster sandbox over real loopback HTTP, with the district's clock fixed so that token expiry, the
 * rate-limit window and every {@code dateLastModified} of a change are exact.
 */
class OneRosterSandboxTest {

    /** 21 students in 3 schools, 9 sections: small enough to know, big enough to page. */
    private static final SandboxSize SMALL = new SandboxSize(3, 21, 6, 2, 9, 5, 2, 4, 7L);
    private static final Instant NOON = Instant.parse("2026-11-23T12:00:00Z");
    private static final String V11 = "/ims/oneroster/v1p1";
    private static final String V12 = "/ims/oneroster/rostering/v1p2";

    private final List<OneRosterSandbox> started = new ArrayList<>();

    @AfterEach
    void stopSandboxes() {
        started.forEach(OneRosterSandbox::close);
    }

    private OneRosterSandbox start(SandboxDistrict district, OneRosterSandbox.Settings settings) {
        OneRosterSandbox sandbox = OneRosterSandbox.start(district, settings);
        started.add(sandbox);
        return sandbox;
    }

    private static SandboxDistrict district(SandboxSize size) {
        SandboxDistrict district = new SandboxDistrict(size);
        district.clock(Clock.fixed(NOON, ZoneOffset.UTC));
        return district;
    }

    private static void at(SandboxDistrict district, Instant time) {
        district.clock(Clock.fixed(time, ZoneOffset.UTC));
    }

    private static String filter(String filter) {
        return "filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8);
    }

    private static ObjectNode ref(OneRosterSandbox sandbox, String collection, String id, String type) {
        ObjectNode ref = MAPPER.createObjectNode();
        ref.put("href", sandbox.apiUrl() + "/" + collection + "/" + id);
        ref.put("sourcedId", id);
        ref.put("type", type);
        return ref;
    }

    private static List<String> ids(List<JsonNode> records) {
        return records.stream().map(record -> record.get("sourcedId").asText()).toList();
    }

    private static List<String> cleverIds(SandboxDistrict district, SandboxResource... resources) {
        List<String> ids = new ArrayList<>();
        for (SandboxResource resource : resources) {
            district.records(resource).forEach(record -> ids.add(record.get("id").asText()));
        }
        return ids.stream().sorted().toList();
    }

    private static void assertFailure(HttpResponse<String> response, int status, String codeMinor) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        JsonNode payload = parse(response.body());
        assertThat(payload.get("imsx_codeMajor").asText()).isEqualTo("failure");
        assertThat(payload.get("imsx_description").asText()).isNotBlank();
        assertThat(payload.at("/imsx_CodeMinor/imsx_codeMinorField/0/imsx_codeMinorFieldValue").asText())
                .isEqualTo(codeMinor);
    }

    @Nested
    class TheTokenEndpoint {

        private final SandboxDistrict district = district(SMALL);
        private final OneRosterSandbox sandbox = start(district, OneRosterSandbox.Settings.defaults()
                .withClient("district-app", "s3cret+/=").withTokenLifetime(Duration.ofMinutes(10)));
        private final RosterClient client = new RosterClient(sandbox);

        @Test
        void issuesBearerTokensToClientsAuthenticatingWithBasicOrWithTheFormBody() {
            HttpResponse<String> byBasic = client.requestToken(
                    basic("district-app", URLEncoder.encode("s3cret+/=", StandardCharsets.UTF_8)),
                    "grant_type=client_credentials");
            HttpResponse<String> byForm = client.requestToken(null, "grant_type=client_credentials&client_id=district-app"
                    + "&client_secret=" + URLEncoder.encode("s3cret+/=", StandardCharsets.UTF_8)
                    + "&scope=" + URLEncoder.encode("https://purl.imsglobal.org/spec/or/v1p1/scope/roster-core.readonly",
                    StandardCharsets.UTF_8));

            JsonNode basicToken = parse(byBasic.body());
            JsonNode formToken = parse(byForm.body());
            assertThat(byBasic.statusCode()).isEqualTo(200);
            assertThat(byBasic.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(basicToken.fieldNames()).toIterable().containsExactly("access_token", "token_type", "expires_in");
            assertThat(basicToken.get("token_type").asText()).isEqualTo("bearer");
            assertThat(basicToken.get("expires_in").asLong()).isEqualTo(600);
            assertThat(byForm.statusCode()).isEqualTo(200);
            assertThat(formToken.get("scope").asText())
                    .isEqualTo("https://purl.imsglobal.org/spec/or/v1p1/scope/roster-core.readonly");
            assertThat(formToken.get("access_token").asText()).isNotEqualTo(basicToken.get("access_token").asText());
            // many clients send the secret in Basic without form-encoding it first; that works too
            assertThat(client.requestToken(basic("district-app", "s3cret+/="), "grant_type=client_credentials")
                    .statusCode()).isEqualTo(200);
            assertThat(sandbox.tokensIssued()).isEqualTo(3);
            for (JsonNode token : List.of(basicToken, formToken)) {
                HttpResponse<String> orgs = client.getUrl(sandbox.apiUrl() + "/orgs",
                        "Bearer " + token.get("access_token").asText());
                assertThat(orgs.statusCode()).isEqualTo(200);
            }
        }

        @Test
        void refusesWrongCredentialsWith401InvalidClientAndBadGrantsWith400() {
            HttpResponse<String> wrongSecret = client.requestToken(basic("district-app", "guess"),
                    "grant_type=client_credentials");
            HttpResponse<String> wrongId = client.requestToken(null,
                    "grant_type=client_credentials&client_id=other-app&client_secret=s3cret%2B%2F%3D");
            HttpResponse<String> none = client.requestToken(null, "grant_type=client_credentials");
            HttpResponse<String> noGrant = client.requestToken(null, "client_id=district-app&client_secret=s3cret%2B%2F%3D");
            HttpResponse<String> password = client.requestToken(null,
                    "grant_type=password&client_id=district-app&client_secret=s3cret%2B%2F%3D");

            for (HttpResponse<String> refused : List.of(wrongSecret, wrongId, none)) {
                assertThat(refused.statusCode()).isEqualTo(401);
                assertThat(parse(refused.body())).isEqualTo(MAPPER.createObjectNode().put("error", "invalid_client"));
            }
            assertThat(wrongSecret.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"oneroster\"");
            assertThat(noGrant.statusCode()).isEqualTo(400);
            assertThat(parse(noGrant.body()).get("error").asText()).isEqualTo("invalid_request");
            assertThat(password.statusCode()).isEqualTo(400);
            assertThat(parse(password.body()).get("error").asText()).isEqualTo("unsupported_grant_type");
            assertThat(sandbox.tokensIssued()).isZero();
        }

        @Test
        void aTokenIsRefusedWith401FromTheMomentItExpiresByTheDistrictsClock() {
            String token = client.token();
            at(district, NOON.plus(Duration.ofMinutes(10)).minusMillis(1));
            assertThat(client.getUrl(sandbox.apiUrl() + "/orgs", "Bearer " + token).statusCode()).isEqualTo(200);

            at(district, NOON.plus(Duration.ofMinutes(10)));
            HttpResponse<String> expired = client.getUrl(sandbox.apiUrl() + "/orgs", "Bearer " + token);
            assertFailure(expired, 401, "unauthorisedrequest");
            assertThat(expired.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(expired.body()).doesNotContain(token);

            RosterClient renewed = new RosterClient(sandbox);
            assertThat(renewed.get("/orgs").statusCode()).isEqualTo(200);
            assertThat(sandbox.tokensIssued()).isEqualTo(2);
        }

        @Test
        void revokedUnknownAndMissingTokensAreRefusedWith401() {
            String token = client.token();
            assertThat(client.get("/users").statusCode()).isEqualTo(200);
            sandbox.revokeTokens();

            assertFailure(client.getUrl(sandbox.apiUrl() + "/users", "Bearer " + token), 401, "unauthorisedrequest");
            assertFailure(client.getUrl(sandbox.apiUrl() + "/users", "Bearer not-a-token"), 401, "unauthorisedrequest");
            assertFailure(client.getUrl(sandbox.apiUrl() + "/users", null), 401, "unauthorisedrequest");
            assertFailure(client.getUrl(sandbox.apiUrl() + "/users", basic("district-app", "s3cret+/=")), 401,
                    "unauthorisedrequest");
            assertThat(new RosterClient(sandbox).get("/users").statusCode()).isEqualTo(200);
        }

        @Test
        void settingsNeverShowTheSecret() {
            assertThat(sandbox.settings().toString()).contains("district-app").doesNotContain("s3cret");
        }
    }

    @Nested
    class PathsAndEnvelopes {

        private final SandboxDistrict district = district(SMALL);

        @Test
        void version11ServesTheStandardPathsWithTheObjectTypeAsRootKey() {
            OneRosterSandbox sandbox = start(district, OneRosterSandbox.Settings.defaults());
            RosterClient client = new RosterClient(sandbox);

            assertThat(sandbox.apiUrl()).isEqualTo(sandbox.baseUrl() + V11);
            Map<String, String> keys = Map.of("orgs", "orgs", "schools", "orgs", "academicSessions", "academicSessions",
                    "terms", "academicSessions", "courses", "courses", "classes", "classes", "users", "users",
                    "students", "users", "teachers", "users", "enrollments", "enrollments");
            keys.forEach((path, key) -> assertThat(client.json("/" + path).fieldNames()).toIterable()
                    .as(path).containsExactly(key));
            List<String> orgs = new ArrayList<>(cleverIds(district, SandboxResource.SCHOOLS));
            orgs.add(district.id());
            assertThat(ids(client.all("/orgs", "orgs"))).isEqualTo(orgs.stream().sorted().toList());
            assertThat(ids(client.all("/schools", "orgs"))).isEqualTo(cleverIds(district, SandboxResource.SCHOOLS));
            assertThat(ids(client.all("/academicSessions", "academicSessions")))
                    .isEqualTo(cleverIds(district, SandboxResource.TERMS));
            assertThat(ids(client.all("/courses", "courses"))).isEqualTo(cleverIds(district, SandboxResource.COURSES));
            assertThat(ids(client.all("/classes", "classes"))).isEqualTo(cleverIds(district, SandboxResource.SECTIONS));
            assertThat(ids(client.all("/users", "users"))).isEqualTo(cleverIds(district,
                    SandboxResource.STUDENTS, SandboxResource.TEACHERS, SandboxResource.STAFF));
            assertThat(ids(client.all("/students", "users"))).isEqualTo(cleverIds(district, SandboxResource.STUDENTS));
            assertThat(ids(client.all("/teachers", "users"))).isEqualTo(cleverIds(district, SandboxResource.TEACHERS));

            String student = cleverIds(district, SandboxResource.STUDENTS).get(0);
            assertThat(client.json("/users/" + student).fieldNames()).toIterable().containsExactly("user");
            assertThat(client.json("/students/" + student).get("user").get("sourcedId").asText()).isEqualTo(student);
            assertThat(client.json("/orgs/" + district.id()).get("org").get("type").asText()).isEqualTo("district");
            assertThat(client.json("/classes/" + cleverIds(district, SandboxResource.SECTIONS).get(0)).fieldNames())
                    .toIterable().containsExactly("class");
            assertFailure(client.get("/teachers/" + student), 404, "unknown_object");
            assertFailure(client.get("/users/5a21ffffffffffffffffffff"), 404, "unknown_object");
            assertFailure(client.get("/schools/" + district.id()), 404, "unknown_object");
            assertFailure(client.get("/demographics"), 404, "unknown_object");
            assertFailure(client.getUrl(sandbox.baseUrl() + V12 + "/users", "Bearer " + client.token()), 404,
                    "unknown_object");
        }

        @Test
        void version12ServesTheRosteringPathsAndAProviderMayHostThemUnderAPrefix() {
            OneRosterSandbox sandbox = start(district, OneRosterSandbox.Settings.defaults().withVersion("1.2")
                    .withPathPrefix("/campus/api").withTokenPath("/campus/oauth2/token"));
            RosterClient client = new RosterClient(sandbox);

            assertThat(sandbox.apiUrl()).isEqualTo(sandbox.baseUrl() + "/campus/api" + V12);
            assertThat(sandbox.tokenUrl()).isEqualTo(sandbox.baseUrl() + "/campus/oauth2/token");
            HttpResponse<String> students = client.get("/students?limit=3");
            assertThat(parse(students.body()).fieldNames()).toIterable().containsExactly("users");
            assertThat(links(students).get("next"))
                    .isEqualTo(sandbox.baseUrl() + "/campus/api" + V12 + "/students?limit=3&offset=3");
            String school = cleverIds(district, SandboxResource.SCHOOLS).get(0);
            assertThat(client.json("/schools/" + school).get("org").get("parent"))
                    .isEqualTo(ref(sandbox, "orgs", district.id(), "org"));
            assertThat(ref(sandbox, "orgs", school, "org").get("href").asText())
                    .startsWith("http://127.0.0.1:" + sandbox.port() + "/campus/api/ims/oneroster/rostering/v1p2/orgs/");

            String token = "Bearer " + client.token();
            assertThat(client.getUrl(sandbox.baseUrl() + V12 + "/students", token).statusCode()).isEqualTo(404);
            assertThat(client.getUrl(sandbox.baseUrl() + "/campus/api" + V11 + "/students", token).statusCode())
                    .isEqualTo(404);
        }
    }

    @Nested
    class Records {

        /** The demo district: 600 students, some of them in two schools, and sections with co-teachers. */
        private final SandboxDistrict district = district(SandboxSize.demo());

        private ObjectNode studentInTwoSchools() {
            return district.records(SandboxResource.STUDENTS)
                    .filter(student -> student.at("/roles/student/schools").size() == 2
                            && student.at("/name/middle").isTextual() && student.has("email"))
                    .findFirst().orElseThrow();
        }

        @Test
        void aVersion11StudentHasOneRoleAndItsSchoolsAsOrgs() {
            OneRosterSandbox sandbox = start(district, OneRosterSandbox.Settings.defaults());
            ObjectNode clever = studentInTwoSchools();
            JsonNode role = clever.at("/roles/student");

            ObjectNode expected = MAPPER.createObjectNode();
            expected.put("sourcedId", clever.get("id").asText());
            expected.put("status", "active");
            expected.put("dateLastModified", clever.get("last_modified").asText());
            expected.put("enabledUser", true);
            expected.put("username", role.at("/credentials/district_username").asText());
            expected.put("givenName", clever.at("/name/first").asText());
            expected.put("middleName", clever.at("/name/middle").asText());
            expected.put("familyName", clever.at("/name/last").asText());
            expected.put("email", clever.get("email").asText());
            expected.put("identifier", role.get("sis_id").asText());
            expected.put("role", "student");
            expected.putArray("orgs")
                    .add(ref(sandbox, "orgs", role.at("/schools/0").asText(), "org"))
                    .add(ref(sandbox, "orgs", role.at("/schools/1").asText(), "org"));
            expected.set("grades", grades(role.get("grade").asText()));

            JsonNode served = new RosterClient(sandbox).json("/users/" + clever.get("id").asText()).get("user");
            assertThat(served).isEqualTo(expected);
        }

        @Test
        void aVersion12StudentHasRolesPerSchoolAPrimaryOrgAndAMasterIdentifier() {
            OneRosterSandbox sandbox = start(district, OneRosterSandbox.Settings.defaults().withVersion("1.2"));
            ObjectNode clever = studentInTwoSchools();
            JsonNode role = clever.at("/roles/student");

            JsonNode served = new RosterClient(sandbox).json("/students/" + clever.get("id").asText()).get("user");

            ArrayNode roles = MAPPER.createArrayNode();
            roles.addObject().put("roleType", "primary").put("role", "student")
                    .set("org", ref(sandbox, "orgs", role.get("school").asText(), "org"));
            roles.addObject().put("roleType", "secondary").put("role", "student")
                    .set("org", ref(sandbox, "orgs", role.at("/schools/1").asText(), "org"));
            assertThat(served.get("roles")).isEqualTo(roles);
            assertThat(served.get("primaryOrg")).isEqualTo(ref(sandbox, "orgs", role.get("school").asText(), "org"));
            assertThat(served.get("userMasterIdentifier").asText()).isEqualTo(role.get("state_id").asText());
            assertThat(served.has("role")).isFalse();
            assertThat(served.has("orgs")).isFalse();
            assertThat(served.get("givenName").asText()).isEqualTo(clever.at("/name/first").asText());
        }

        @Test
        void staffAreAdministratorsIn11AndSiteAdministratorsIn12() {
            String staff = cleverIds(district, SandboxResource.STAFF).get(0);
            JsonNode v11 = new RosterClient(start(district, OneRosterSandbox.Settings.defaults()))
                    .json("/users/" + staff).get("user");
            JsonNode v12 = new RosterClient(start(district, OneRosterSandbox.Settings.defaults().withVersion("1.2")))
                    .json("/users/" + staff).get("user");

            assertThat(v11.get("role").asText()).isEqualTo("administrator");
            assertThat(v12.at("/roles/0/role").asText()).isEqualTo("siteAdministrator");
            assertThat(v12.at("/roles/0/roleType").asText()).isEqualTo("primary");
        }

        @Test
        void aClassIsItsSectionAndItsEnrollmentsAreTheSectionsTeachersAndStudents() {
            OneRosterSandbox sandbox = start(district, OneRosterSandbox.Settings.defaults());
            RosterClient client = new RosterClient(sandbox);
            ObjectNode section = district.records(SandboxResource.SECTIONS)
                    .filter(s -> s.get("teachers").size() > 1 && s.has("period") && s.has("subject")
                            && s.has("course") && s.get("students").size() > 0)
                    .findFirst().orElseThrow();
            String classId = section.get("id").asText();
            ObjectNode term = district.record(SandboxResource.TERMS, section.get("term_id").asText()).orElseThrow();

            ObjectNode expectedClass = MAPPER.createObjectNode();
            expectedClass.put("sourcedId", classId);
            expectedClass.put("status", "active");
            expectedClass.put("dateLastModified", section.get("last_modified").asText());
            expectedClass.put("title", section.get("name").asText());
            expectedClass.put("classCode", section.get("section_number").asText());
            expectedClass.put("classType", "scheduled");
            expectedClass.putArray("periods").add(section.get("period").asText());
            expectedClass.set("grades", grades(section.get("grade").asText()));
            expectedClass.putArray("subjects").add(section.get("subject").asText());
            expectedClass.set("course", ref(sandbox, "courses", section.get("course").asText(), "course"));
            expectedClass.set("school", ref(sandbox, "orgs", section.get("school").asText(), "org"));
            expectedClass.putArray("terms").add(ref(sandbox, "academicSessions", term.get("id").asText(),
                    "academicSession"));
            assertThat(client.json("/classes/" + classId).get("class")).isEqualTo(expectedClass);

            List<JsonNode> enrollments = client.all("/enrollments?limit=1000", "enrollments").stream()
                    .filter(enrollment -> enrollment.at("/class/sourcedId").asText().equals(classId)).toList();
            List<String> expected = new ArrayList<>();
            section.get("teachers").forEach(teacher -> expected.add("teacher " + teacher.asText() + " "
                    + teacher.asText().equals(section.get("teacher").asText())));
            section.get("students").forEach(student -> expected.add("student " + student.asText() + " false"));
            assertThat(enrollments).extracting(enrollment -> enrollment.get("role").asText() + " "
                    + enrollment.at("/user/sourcedId").asText() + " " + enrollment.get("primary").asBoolean())
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(enrollments).filteredOn(enrollment -> enrollment.get("primary").asBoolean()).hasSize(1);
            for (JsonNode enrollment : enrollments) {
                assertThat(enrollment.get("status").asText()).isEqualTo("active");
                assertThat(enrollment.get("dateLastModified").asText()).isEqualTo(section.get("last_modified").asText());
                assertThat(enrollment.get("school")).isEqualTo(ref(sandbox, "orgs", section.get("school").asText(), "org"));
                assertThat(enrollment.get("class")).isEqualTo(ref(sandbox, "classes", classId, "class"));
                assertThat(enrollment.get("beginDate").asText()).isEqualTo(term.get("start_date").asText());
                // OneRoster's enrollment end is exclusive, Clever's term end the last day
                assertThat(enrollment.get("endDate").asText())
                        .isEqualTo(LocalDate.parse(term.get("end_date").asText()).plusDays(1).toString());
                String id = enrollment.get("sourcedId").asText();
                assertThat(client.json("/enrollments/" + id).get("enrollment")).isEqualTo(enrollment);
            }
            // ids are derived, not counted: another sandbox (of the other version) names them the same
            RosterClient other = new RosterClient(start(district, OneRosterSandbox.Settings.defaults().withVersion("1.2")));
            assertThat(ids(other.all("/enrollments?limit=1000", "enrollments")))
                    .containsAll(ids(enrollments));
        }

        @Test
        void termsCoursesAndSchoolsKeepTheirNamesAndTheDistrictOrgParentsEverySchool() {
            OneRosterSandbox sandbox = start(district, OneRosterSandbox.Settings.defaults());
            RosterClient client = new RosterClient(sandbox);
            ObjectNode term = district.records(SandboxResource.TERMS).findFirst().orElseThrow();
            ObjectNode course = district.records(SandboxResource.COURSES).findFirst().orElseThrow();

            JsonNode session = client.json("/academicSessions/" + term.get("id").asText()).get("academicSession");
            assertThat(session.get("title").asText()).isEqualTo(term.get("name").asText()).contains("–");
            assertThat(session.get("type").asText()).isEqualTo("term");
            assertThat(session.get("startDate").asText()).isEqualTo(term.get("start_date").asText());
            assertThat(session.get("endDate").asText()).isEqualTo(term.get("end_date").asText());
            assertThat(session.get("schoolYear").asText()).isEqualTo("2025");
            assertThat(session.get("dateLastModified").asText()).isEqualTo("2023-07-01T00:00:00.000Z");
            JsonNode mappedCourse = client.json("/courses/" + course.get("id").asText()).get("course");
            assertThat(mappedCourse.get("title").asText()).isEqualTo(course.get("name").asText());
            assertThat(mappedCourse.get("courseCode").asText()).isEqualTo(course.get("number").asText());
            assertThat(mappedCourse.get("org")).isEqualTo(ref(sandbox, "orgs", district.id(), "org"));

            JsonNode districtOrg = client.json("/orgs/" + district.id()).get("org");
            assertThat(districtOrg.get("name").asText()).isEqualTo("San José Sandbox Unified School District");
            assertThat(districtOrg.get("children")).extracting(child -> child.get("sourcedId").asText())
                    .containsExactlyElementsOf(cleverIds(district, SandboxResource.SCHOOLS));
            for (JsonNode school : client.all("/schools", "orgs")) {
                ObjectNode clever = district.record(SandboxResource.SCHOOLS, school.get("sourcedId").asText()).orElseThrow();
                assertThat(school.get("name").asText()).isEqualTo(clever.get("name").asText());
                assertThat(school.get("identifier").asText()).isEqualTo(clever.get("school_number").asText());
                assertThat(school.get("type").asText()).isEqualTo("school");
            }
        }
    }

    /** Clever's grade as OneRoster's CEDS list, written out independently of the sandbox's mapping. */
    private static ArrayNode grades(String clever) {
        ArrayNode grades = MAPPER.createArrayNode();
        switch (clever) {
            case "" -> { }
            case "Kindergarten" -> grades.add("KG");
            case "Ungraded" -> grades.add("UG");
            default -> grades.add(clever.length() == 1 ? "0" + clever : clever);
        }
        return grades;
    }

    @Nested
    class Paging {

        private final SandboxDistrict district = district(SandboxSize.demo());
        private final OneRosterSandbox sandbox = start(district, OneRosterSandbox.Settings.defaults().withMaxPageSize(250));
        private final RosterClient client = new RosterClient(sandbox);
        private final String students = sandbox.apiUrl() + "/students";

        @Test
        void aPageHolds100RecordsUnlessAskedAndTellsTheTotalAndTheWayOn() {
            HttpResponse<String> first = client.get("/students");

            assertThat(parse(first.body()).get("users")).hasSize(100);
            assertThat(totalCount(first)).isEqualTo(600);
            assertThat(first.headers().firstValue("Link")).hasValue("<" + students + "?limit=100&offset=0>; rel=\"first\", "
                    + "<" + students + "?limit=100&offset=100>; rel=\"next\", "
                    + "<" + students + "?limit=100&offset=500>; rel=\"last\"");

            HttpResponse<String> middle = client.get("/students?limit=100&offset=200");
            assertThat(links(middle)).containsExactly(Map.entry("first", students + "?limit=100&offset=0"),
                    Map.entry("prev", students + "?limit=100&offset=100"),
                    Map.entry("next", students + "?limit=100&offset=300"),
                    Map.entry("last", students + "?limit=100&offset=500"));
        }

        @Test
        void aLimitAboveTheProvidersMaximumIsClampedToIt() {
            HttpResponse<String> page = client.get("/students?limit=100000");

            assertThat(parse(page.body()).get("users")).hasSize(250);
            assertThat(links(page).get("next")).isEqualTo(students + "?limit=250&offset=250");
            assertThat(links(page).get("last")).isEqualTo(students + "?limit=250&offset=500");
        }

        @Test
        void followingNextServesEveryRecordOnceInSourcedIdOrderNamesIntact() {
            List<JsonNode> pages = new ArrayList<>();
            List<JsonNode> served = new ArrayList<>();
            String url = students + "?limit=7";
            HttpResponse<String> last = null;
            while (url != null) {
                last = client.getUrl(url, "Bearer " + client.token());
                JsonNode page = parse(last.body());
                pages.add(page);
                page.get("users").forEach(served::add);
                url = links(last).get("next");
            }

            assertThat(pages).hasSize(86);
            assertThat(pages.get(85).get("users")).hasSize(5);
            assertThat(links(last)).doesNotContainKey("next").containsEntry("last", students + "?limit=7&offset=595");
            List<ObjectNode> truth = district.records(SandboxResource.STUDENTS).toList();
            assertThat(served).extracting(user -> user.get("sourcedId").asText() + " " + user.get("givenName").asText()
                    + " " + user.get("familyName").asText())
                    .containsExactlyElementsOf(truth.stream().map(student -> student.get("id").asText() + " "
                            + student.at("/name/first").asText() + " " + student.at("/name/last").asText()).toList());
            assertThat(new HashSet<>(ids(served))).hasSize(600);
            // the generator's awkward names came through: an emoji, apostrophes, the canary, a 1000-character surname
            assertThat(served).extracting(user -> user.get("givenName").asText()).contains("Kai 🌊", "D'Andre");
            assertThat(served).extracting(user -> user.get("familyName").asText()).contains("Canarysson")
                    .anyMatch(name -> name.length() >= 1000);
        }

        @Test
        void aPageThatEndsExactlyAtTheLastRecordHasNoNextAndOneBeyondIsEmpty() {
            HttpResponse<String> exact = client.get("/students?limit=100&offset=500");
            HttpResponse<String> beyond = client.get("/students?limit=100&offset=700");

            assertThat(parse(exact.body()).get("users")).hasSize(100);
            assertThat(links(exact)).doesNotContainKey("next").containsEntry("last", students + "?limit=100&offset=500");
            assertThat(parse(beyond.body()).get("users")).isEmpty();
            assertThat(totalCount(beyond)).isEqualTo(600);
            assertThat(links(beyond)).containsEntry("prev", students + "?limit=100&offset=600").doesNotContainKey("next");
        }

        @Test
        void linksKeepTheOtherParametersAsSent() {
            String filter = filter("dateLastModified>='2024-01-01T00:00:00.000Z'");
            HttpResponse<String> page = client.get("/users?" + filter + "&limit=5&fields=sourcedId,givenName");

            assertThat(links(page).get("next"))
                    .isEqualTo(sandbox.apiUrl() + "/users?" + filter + "&fields=sourcedId,givenName&limit=5&offset=5");
        }

        @Test
        void invalidLimitsAndOffsetsAreRefusedWith400() {
            for (String query : List.of("limit=0", "limit=-1", "limit=ten", "offset=-1", "offset=x")) {
                assertFailure(client.get("/students?" + query), 400, "invalid_data");
            }
        }

        @Test
        void aRecordAddedBetweenPagesShiftsTheOffsetsAndTheTotal() {
            HttpResponse<String> first = client.get("/students?limit=10");
            List<String> firstIds = ids(toList(parse(first.body()).get("users")));
            ObjectNode newcomer = district.records(SandboxResource.STUDENTS).findFirst().orElseThrow()
                    .put("id", "5a20ffffffffffffffffffff");
            district.put(SandboxResource.STUDENTS, newcomer);

            HttpResponse<String> second = client.getUrl(links(first).get("next"), "Bearer " + client.token());

            assertThat(totalCount(first)).isEqualTo(600);
            assertThat(totalCount(second)).isEqualTo(601);
            // the newcomer sorts first, so the record that ended page one now starts page two
            assertThat(ids(toList(parse(second.body()).get("users"))).get(0)).isEqualTo(firstIds.get(9));
            assertThat(client.json("/students?limit=1").at("/users/0/sourcedId").asText())
                    .isEqualTo("5a20ffffffffffffffffffff");
        }
    }

    @Nested
    class Deltas {

        private static final String SINCE_JANUARY = "dateLastModified>'2026-01-01T00:00:00.000Z'";

        private final SandboxDistrict district = district(SMALL);
        private final OneRosterSandbox sandbox = start(district, OneRosterSandbox.Settings.defaults());
        private final RosterClient client = new RosterClient(sandbox);

        private List<JsonNode> changed(String collection, String listKey, String filter) {
            return client.all("/" + collection + "?" + filter(filter), listKey);
        }

        @Test
        void aChangedRecordGetsANewTimeAndADeletedOneStaysListedAsToBeDeleted() {
            assertThat(totalCount(client.get("/users?" + filter(SINCE_JANUARY)))).isZero();
            List<ObjectNode> students = district.records(SandboxResource.STUDENTS).toList();
            ObjectNode renamed = students.get(0).deepCopy();
            ((ObjectNode) renamed.get("name")).put("last", "O'Renamed-Ünïcødé 🌊");
            String deleted = students.get(1).get("id").asText();
            at(district, NOON.plusMillis(1500));
            district.put(SandboxResource.STUDENTS, renamed);
            at(district, NOON.plusSeconds(3));
            district.delete(SandboxResource.STUDENTS, deleted);

            List<JsonNode> delta = changed("users", "users", SINCE_JANUARY);
            assertThat(delta).extracting(user -> user.get("sourcedId").asText() + " " + user.get("status").asText()
                    + " " + user.get("dateLastModified").asText() + " " + user.get("familyName").asText())
                    .containsExactly(
                            renamed.get("id").asText() + " active 2026-11-23T12:00:01.500Z O'Renamed-Ünïcødé 🌊",
                            deleted + " tobedeleted 2026-11-23T12:00:03.000Z " + students.get(1).at("/name/last").asText());
            // the deleted record is still the whole user, as it last was
            assertThat(delta.get(1).get("role").asText()).isEqualTo("student");
            assertThat(ids(changed("users", "users", "dateLastModified>'2026-11-23T12:00:01.500Z'")))
                    .containsExactly(deleted);
            assertThat(ids(changed("students", "users", "dateLastModified >= '2026-11-23T12:00:01.500Z'")))
                    .containsExactly(renamed.get("id").asText(), deleted);
            assertThat(changed("teachers", "users", SINCE_JANUARY)).isEmpty();

            HttpResponse<String> all = client.get("/students?limit=100");
            assertThat(totalCount(all)).isEqualTo(21);
            assertThat(client.json("/users/" + deleted).at("/user/status").asText()).isEqualTo("tobedeleted");
            assertThat(client.json("/users/" + students.get(2).get("id").asText()).at("/user/dateLastModified").asText())
                    .isEqualTo(students.get(2).get("last_modified").asText());
        }

        @Test
        void aStudentLeavingASectionMakesItsEnrollmentToBeDeletedAndOneJoiningAddsOne() {
            ObjectNode section = district.records(SandboxResource.SECTIONS)
                    .filter(s -> s.get("students").size() >= 2).findFirst().orElseThrow();
            String sectionId = section.get("id").asText();
            String leaving = section.at("/students/0").asText();
            String joining = district.records(SandboxResource.STUDENTS).map(student -> student.get("id").asText())
                    .filter(id -> !section.get("students").toString().contains(id)).findFirst().orElseThrow();
            at(district, NOON.plusSeconds(10));
            district.changeInSteps(SandboxResource.SECTIONS, sectionId,
                    List.of(s -> ((ArrayNode) s.get("students")).remove(0)));
            at(district, NOON.plusSeconds(20));
            district.changeInSteps(SandboxResource.SECTIONS, sectionId,
                    List.of(s -> ((ArrayNode) s.get("students")).add(joining)));

            List<JsonNode> delta = changed("enrollments", "enrollments", SINCE_JANUARY);
            assertThat(delta).extracting(enrollment -> enrollment.at("/user/sourcedId").asText() + " "
                    + enrollment.at("/class/sourcedId").asText() + " " + enrollment.get("role").asText() + " "
                    + enrollment.get("status").asText() + " " + enrollment.get("dateLastModified").asText())
                    .containsExactlyInAnyOrder(
                            leaving + " " + sectionId + " student tobedeleted 2026-11-23T12:00:10.000Z",
                            joining + " " + sectionId + " student active 2026-11-23T12:00:20.000Z");
            assertThat(ids(changed("classes", "classes", SINCE_JANUARY))).containsExactly(sectionId);

            // deleting the section ends every enrollment it still had, at that moment
            ObjectNode last = district.record(SandboxResource.SECTIONS, sectionId).orElseThrow();
            at(district, NOON.plusSeconds(30));
            district.delete(SandboxResource.SECTIONS, sectionId);
            List<JsonNode> ended = changed("enrollments", "enrollments", "dateLastModified>'2026-11-23T12:00:20.000Z'");
            assertThat(ended).hasSize(last.get("teachers").size() + last.get("students").size())
                    .allSatisfy(enrollment -> {
                        assertThat(enrollment.get("status").asText()).isEqualTo("tobedeleted");
                        assertThat(enrollment.get("dateLastModified").asText()).isEqualTo("2026-11-23T12:00:30.000Z");
                        assertThat(enrollment.at("/class/sourcedId").asText()).isEqualTo(sectionId);
                    });
            assertThat(ended).extracting(enrollment -> enrollment.at("/user/sourcedId").asText()).contains(joining)
                    .doesNotContain(leaving);
            assertThat(client.json("/classes/" + sectionId).at("/class/status").asText()).isEqualTo("tobedeleted");
        }

        @Test
        void aDeletedTeachersEnrollmentsAreToBeDeletedToo() {
            String teacher = district.records(SandboxResource.SECTIONS).findFirst().orElseThrow().get("teacher").asText();
            long sections = district.records(SandboxResource.SECTIONS)
                    .filter(s -> s.get("teachers").toString().contains(teacher)).count();
            at(district, NOON.plusSeconds(5));
            district.delete(SandboxResource.TEACHERS, teacher);

            List<JsonNode> delta = changed("enrollments", "enrollments", SINCE_JANUARY);
            assertThat(delta).hasSize((int) sections).allSatisfy(enrollment -> {
                assertThat(enrollment.at("/user/sourcedId").asText()).isEqualTo(teacher);
                assertThat(enrollment.get("status").asText()).isEqualTo("tobedeleted");
                assertThat(enrollment.get("dateLastModified").asText()).isEqualTo("2026-11-23T12:00:05.000Z");
            });
        }

        @Test
        void aProviderWithoutDeltasRefusesAnyFilterWith400AndSaysWhy() {
            OneRosterSandbox plain = start(district, OneRosterSandbox.Settings.defaults().withDeltaSupported(false));
            RosterClient plainClient = new RosterClient(plain);

            HttpResponse<String> refused = plainClient.get("/users?" + filter(SINCE_JANUARY));
            assertFailure(refused, 400, "invalid_filter_field");
            assertThat(parse(refused.body()).get("imsx_description").asText())
                    .isEqualTo("this provider does not support filter");
            assertThat(totalCount(plainClient.get("/users"))).isEqualTo(29);
        }

        @Test
        void filtersOnOtherFieldsOrCombinedOrMalformedAreRefusedWith400() {
            for (String refused : List.of("status='active'", "familyName~'Smith'",
                    "dateLastModified~'2026-01-01T00:00:00Z'", "dateLastModified>'yesterday'",
                    "dateLastModified>2026-01-01T00:00:00Z", SINCE_JANUARY + " AND status='active'")) {
                assertFailure(client.get("/users?" + filter(refused)), 400, "invalid_filter_field");
            }
            // a date alone means its midnight in UTC; an offset is honoured
            assertThat(totalCount(client.get("/users?" + filter("dateLastModified>'2026-01-01'")))).isZero();
            assertThat(totalCount(client.get("/users?" + filter("dateLastModified<'2026-01-01T01:00:00+01:00'"))))
                    .isEqualTo(29);
        }
    }

    @Nested
    class LimitsAndFaults {

        private final SandboxDistrict district = district(SMALL);

        @Test
        void requestsBeyondTheMinutesBudgetGet429WithRetryAfterUntilTheMinuteTurns() {
            OneRosterSandbox sandbox = start(district, OneRosterSandbox.Settings.defaults().withRequestsPerMinute(3));
            RosterClient client = new RosterClient(sandbox);
            at(district, NOON.plusSeconds(45));

            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                statuses.add(client.get("/orgs").statusCode());
            }
            HttpResponse<String> refused = client.get("/orgs");

            assertThat(statuses).containsExactly(200, 200, 200);
            assertFailure(refused, 429, "server_busy");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("15");
            assertThat(sandbox.rateLimitedCount()).isEqualTo(1);
            // the token request spent nothing of the budget
            assertThat(sandbox.requestCount()).isEqualTo(5);
            at(district, NOON.plusSeconds(60));
            assertThat(client.get("/orgs").statusCode()).isEqualTo(200);
        }

        @Test
        void injectedRateLimitBurstsCarryTheBurstsRetryAfterAndSpareSingleRecords() {
            OneRosterSandbox sandbox = start(district, OneRosterSandbox.Settings.defaults());
            RosterClient client = new RosterClient(sandbox);
            sandbox.faults(SandboxFaults.none().withRateLimitBursts(3, 1, Duration.ofSeconds(7)));
            String student = cleverIds(district, SandboxResource.STUDENTS).get(0);

            List<HttpResponse<String>> responses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                responses.add(client.get("/students?limit=5"));
                assertThat(client.get("/users/" + student).statusCode()).isEqualTo(200);
            }

            assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(200, 200, 429, 200, 200, 429);
            assertThat(responses.get(2).headers().firstValue("Retry-After")).hasValue("7");
            assertFailure(responses.get(5), 429, "server_busy");
            assertThat(sandbox.faultsInjected()).isEqualTo(2);
            assertThat(sandbox.rateLimitedCount()).isEqualTo(2);
        }

        @Test
        void truncatedDroppedAndFailedPagesAreWhatTheFaultsSay() throws Exception {
            OneRosterSandbox sandbox = start(district, OneRosterSandbox.Settings.defaults());
            RosterClient client = new RosterClient(sandbox);
            String correct = client.get("/users?limit=10").body();

            sandbox.faults(SandboxFaults.none().withSeed(5L).withTruncatedBodies(1.0));
            HttpResponse<String> truncated = client.get("/users?limit=10");
            assertThat(truncated.statusCode()).isEqualTo(200);
            assertThat(correct).startsWith(truncated.body()).isNotEqualTo(truncated.body());
            assertThat(truncated.body()).startsWith("{\"users\":[");
            assertThatThrownBy(() -> MAPPER.readTree(truncated.body())).isInstanceOf(JsonProcessingException.class);

            sandbox.faults(SandboxFaults.none().withDroppedConnections(1.0));
            assertThatThrownBy(() -> client.get("/users?limit=10")).isInstanceOf(UncheckedIOException.class);

            sandbox.faults(SandboxFaults.none().withServerErrors(1.0, 503));
            assertFailure(client.get("/users?limit=10"), 503, "server_busy");

            sandbox.faults(SandboxFaults.none());
            assertThat(client.get("/users?limit=10").body()).isEqualTo(correct);
            assertThat(sandbox.faultsInjected()).isEqualTo(3);
        }
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }
}

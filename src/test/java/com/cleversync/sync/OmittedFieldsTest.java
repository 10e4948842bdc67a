package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.CleverSyncApplication;
import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Data minimization: with {@code cleversync.sync.omit-fields: [dob, email, gender, race, ell_status]}
 * no school database holds those fields, neither in the mapped columns nor in {@code raw_json}, after
 * a full sync or an incremental one; every other field is stored exactly as Clever sent it.
 */
@CamelSpringBootTest
@SpringBootTest(classes = CleverSyncApplication.class,
        properties = "cleversync.sync.omit-fields=dob,email,gender,race,ell_status")
class OmittedFieldsTest {
    private static final String TOKEN = "omitted-fields-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String URL = TestDatabases.h2("omitted");
    static CleverSandbox sandbox;

    @Autowired
    ProducerTemplate producer;

    @DynamicPropertySource
    static void district(DynamicPropertyRegistry registry) {
        sandbox = CleverSandbox.start(new SandboxDistrict(new SandboxSize(2, 80, 8, 2, 8, 10, 2, 4, 21L)), TOKEN, 0, 1200);
        registry.add("cleversync.clever.base-url", sandbox::baseUrl);
        registry.add("cleversync.districts.omitted.token", () -> TOKEN);
        registry.add("cleversync.districts.omitted.schedule", () -> "0 0 2 1 1 ? 2099");
        registry.add("cleversync.districts.omitted.schools.north.clever-id", () -> schoolId());
        registry.add("cleversync.districts.omitted.schools.north.jdbc-url", () -> URL);
        registry.add("cleversync.districts.omitted.schools.north.username", () -> "sa");
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @Test
    void omittedFieldsAreStoredNowhereAfterAFullAndAnIncrementalSync() throws Exception {
        assertThat(sync("full").succeeded()).isTrue();
        assertOnlyPermittedFieldsAreStored();

        ObjectNode student = sandbox.district().records(SandboxResource.STUDENTS)
                .filter(s -> schoolId().equals(s.at("/roles/student/school").asText())).findFirst().orElseThrow();
        ((ObjectNode) student.get("name")).put("last", "Weggelassen");
        ((ObjectNode) student.at("/roles/student")).put("dob", "1/2/2012");
        sandbox.district().put(SandboxResource.STUDENTS, student);

        DistrictRun incremental = sync("incremental");

        assertThat(incremental.incremental()).isTrue();
        assertThat(SchoolAssertions.outcome(incremental, "north").written()).isEqualTo(1);
        assertOnlyPermittedFieldsAreStored();
    }

    private void assertOnlyPermittedFieldsAreStored() throws Exception {
        SchoolDb db = SchoolDb.h2(URL);
        assertThat(db.count("SELECT COUNT(*) FROM students WHERE dob IS NOT NULL OR email IS NOT NULL")).isZero();
        assertThat(db.count("SELECT COUNT(*) FROM teachers WHERE email IS NOT NULL")).isZero();
        for (String table : List.of("schools", "students", "teachers", "staff", "sections", "terms", "courses")) {
            for (Map<String, Object> row : db.query("SELECT raw_json FROM " + table)) {
                assertThat((String) row.get("raw_json")).as(table)
                        .doesNotContain("\"dob\"", "\"email\"", "\"gender\"", "\"race\"", "\"ell_status\"");
            }
        }
        List<ObjectNode> students = sandbox.district().records(SandboxResource.STUDENTS)
                .filter(s -> s.at("/roles/student/schools").toString().contains(schoolId())).toList();
        assertThat(students).isNotEmpty();
        for (ObjectNode expected : students) {
            expected.remove("email");
            ((ObjectNode) expected.at("/roles/student")).remove(List.of("dob", "gender", "race", "ell_status"));
            String stored = (String) db.query("SELECT raw_json FROM students WHERE id = '" + expected.get("id").asText()
                    + "'").get(0).get("raw_json");
            JsonNode actual = JSON.readTree(stored);
            assertThat(actual).as("every other field as Clever sent it").isEqualTo(expected);
        }
        Map<String, Object> student = db.query("SELECT first_name, last_name, grade FROM students WHERE id = '"
                + students.get(0).get("id").asText() + "'").get(0);
        assertThat(student.get("last_name")).isEqualTo(students.get(0).at("/name/last").asText());
        assertThat(student.get("grade")).isEqualTo(students.get(0).at("/roles/student/grade").asText());
    }

    private DistrictRun sync(String mode) {
        return producer.requestBodyAndHeaders("direct:sync-district", null, Map.of(DistrictRuns.DISTRICT, "omitted",
                DistrictRuns.TRIGGER, "test", DistrictRuns.MODE, mode), DistrictRun.class);
    }

    private static String schoolId() {
        return SchoolAssertions.schoolIds(sandbox.district()).get(0);
    }
}

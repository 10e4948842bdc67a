package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.CleverSyncApplication;
import com.cleversync.ExpectedSchool;
import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Secrets are placeholders (in production Key Vault secrets) read again when they are refused. A
 * school database's password rotated while a sync runs is picked up when the database refuses the
 * login: a new pool logs in with it and the refused work is done again, so no batch is lost. A
 * Clever token rotated while a sync runs is picked up on Clever's 401. The secrets here are
 * properties the test changes, standing for the vault.
 */
@CamelSpringBootTest
@SpringBootTest(classes = CleverSyncApplication.class, properties = {
        "cleversync.sync.connection-timeout=1s",
        "cleversync.sync.write-retry-delay=100ms",
        "cleversync.sync.write-retry-max-delay=200ms"})
@ExtendWith(OutputCaptureExtension.class)
class SecretRotationTest {
    private static final String TOKEN = "Canary-Rotation-Token-1";
    private static final String ROTATED_TOKEN = "Canary-Rotation-Token-2";
    private static final String FIRST = "Canary-First-Pw-101";
    private static final String SECOND = "Canary-Second-Pw-202";
    private static final String THIRD = "Canary-Third-Pw-303";
    /** The secret as the vault holds it now. */
    static final AtomicReference<String> VAULT = new AtomicReference<>(FIRST);
    static final AtomicReference<String> VAULT_TOKEN = new AtomicReference<>(TOKEN);
    static final String URL = TestDatabases.h2("rotation");
    static CleverSandbox sandbox;

    @Autowired
    ProducerTemplate producer;
    @Autowired
    SyncDistricts districts;

    @DynamicPropertySource
    static void district(DynamicPropertyRegistry registry) {
        sandbox = CleverSandbox.start(new SandboxDistrict(new SandboxSize(2, 200, 10, 2, 12, 10, 2, 6, 9L)), TOKEN, 0, 1200);
        registry.add("cleversync.clever.base-url", sandbox::baseUrl);
        registry.add("cleversync.clever.page-size", () -> "40");
        registry.add("cleversync.sync.batch-size", () -> "25");
        registry.add("cleversync.districts.rotation.token", () -> "{{rotation.clever-token}}");
        registry.add("rotation.clever-token", VAULT_TOKEN::get);
        registry.add("cleversync.districts.rotation.schedule", () -> "0 0 2 1 1 ? 2099");
        String prefix = "cleversync.districts.rotation.schools.north";
        registry.add(prefix + ".clever-id", () -> SchoolAssertions.schoolIds(sandbox.district()).get(0));
        registry.add(prefix + ".jdbc-url", () -> URL);
        registry.add(prefix + ".username", () -> "sa");
        registry.add(prefix + ".password", () -> "{{rotation.north-password}}");
        registry.add("rotation.north-password", VAULT::get);
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @Test
    void aPasswordRotatedWhileASyncRunsIsPickedUpAndARotationTheVaultDoesNotKnowFailsClearly(CapturedOutput output) {
        assertThat(sync().succeeded()).as("baseline").isTrue();
        renameStudents("Vorher");
        // the password is rotated (database, then vault) while the students are being read
        sandbox.beforeServing(request -> request.contains("role=student") && request.contains("starting_after="),
                () -> rotate(FIRST, SECOND, true));

        DistrictRun rotated = sync();

        assertThat(SchoolAssertions.outcome(rotated, "north").errorSummary()).isNull();
        assertThat(rotated.succeeded()).isTrue();
        assertThat(output.getAll()).contains("school database rotation/north: the database refused the login;"
                + " the configured one has changed (rotated), so a new pool logs in with it");
        assertHoldsTheTruth(SECOND);

        // rotated in the database, not (yet) in the vault: the school fails, saying why, and loses nothing
        renameStudents("Nachher");
        rotate(SECOND, THIRD, false);

        DistrictRun refused = sync();

        SchoolRun north = SchoolAssertions.outcome(refused, "north");
        assertThat(north.status()).isEqualTo(SchoolRun.Status.FAILED);
        assertThat(north.errorSummary()).startsWith("school database unavailable: ").contains("28000");
        assertThat(output.getAll()).contains("school database rotation/north: the database refuses the configured login");

        VAULT.set(THIRD);
        assertThat(sync().succeeded()).isTrue();
        assertHoldsTheTruth(THIRD);
        assertThat(output.getAll()).doesNotContain(FIRST).doesNotContain(SECOND).doesNotContain(THIRD);
    }

    @Test
    void aCleverTokenRotatedWhileASyncRunsIsPickedUpOnTheFirst401(CapturedOutput output) {
        assertThat(sync().succeeded()).as("baseline").isTrue();
        renameStudents("Neues-Token");
        sandbox.beforeServing(request -> request.contains("role=student") && request.contains("starting_after="), () -> {
            sandbox.rotateToken(ROTATED_TOKEN);
            VAULT_TOKEN.set(ROTATED_TOKEN);
        });

        DistrictRun rotated = sync();

        assertThat(SchoolAssertions.outcome(rotated, "north").errorSummary()).isNull();
        assertThat(rotated.succeeded()).isTrue();
        assertHoldsTheTruth(VAULT.get());
        assertThat(output.getAll()).contains("the district token was rotated; retrying with the new one")
                .doesNotContain(TOKEN).doesNotContain(ROTATED_TOKEN);
    }

    private DistrictRun sync() {
        return SchoolAssertions.sync(producer, "rotation");
    }

    /** Changes the password in the database, then (when asked) in the vault; the pool's open connections are retired. */
    private void rotate(String from, String to, boolean inTheVault) {
        new SchoolDb(URL, "sa", from).execute("ALTER USER SA SET PASSWORD '" + to + "'");
        if (inTheVault) {
            VAULT.set(to);
        }
        districts.get("rotation").schools().get(0).database().releaseIdleConnections();
    }

    private void renameStudents(String last) {
        List<ObjectNode> students = sandbox.district().records(SandboxResource.STUDENTS).limit(150).toList();
        for (ObjectNode student : students) {
            ((ObjectNode) student.get("name")).put("last", last);
            sandbox.district().put(SandboxResource.STUDENTS, student);
        }
    }

    private void assertHoldsTheTruth(String password) {
        SchoolAssertions.assertHoldsExactly("north", new SchoolDb(URL, "sa", password),
                ExpectedSchool.of(sandbox.district(), SchoolAssertions.schoolIds(sandbox.district()).get(0)));
    }
}

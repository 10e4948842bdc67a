package com.cleversync.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import com.cleversync.sync.SyncDistricts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Secrets read through Camel's real {@code azure:} properties function, with a service principal,
 * from a fake of Entra ID and Key Vault that speaks their REST APIs over TLS ({@link FakeAzure}):
 * a district whose token, Clever id, JDBC URL and password are all Key Vault secrets syncs, and
 * picks up a token and a password rotated in the vault; a missing secret and refused credentials
 * stop startup naming the key and the secret, never a value.
 */
@ExtendWith(OutputCaptureExtension.class)
class KeyVaultTest {
    private static final String DISTRICT = "cleversync.districts.vaulted";
    private static final String SCHOOL = DISTRICT + ".schools.north";
    private static final String CLEVER_TOKEN = "Canary-Vault-Clever-Token-9";
    private static final String DB_PASSWORD = "Canary-Vault-Db-Password-9";
    private static final String ROTATED_CLEVER_TOKEN = "Canary-Vault-Clever-Token-10";
    private static final String ROTATED_DB_PASSWORD = "Canary-Vault-Db-Password-10";
    static FakeAzure azure;
    static CleverSandbox sandbox;

    @BeforeAll
    static void start() {
        FakeAzure.requireHostsEntries();
        azure = FakeAzure.start();
        sandbox = CleverSandbox.start(new SandboxDistrict(new SandboxSize(2, 40, 4, 2, 4, 8, 2, 4, 17L)), CLEVER_TOKEN, 0, 1200);
    }

    @AfterAll
    static void stop() {
        if (azure != null) {
            azure.close();
            sandbox.close();
        }
    }

    @Test
    void aDistrictWhoseSecretsAllLiveInKeyVaultSyncsAndPicksUpRotatedSecrets(CapturedOutput output) {
        String url = TestDatabases.h2("vaulted-north");
        String cleverId = sandbox.district().records(SandboxResource.SCHOOLS).findFirst().orElseThrow().get("id").asText();
        azure.secret("vaulted-clever-token", CLEVER_TOKEN);
        azure.secret("north-clever-id", cleverId);
        azure.secret("north-jdbc-url", url);
        azure.secret("north-db-password", DB_PASSWORD);

        try (ConfigurableApplicationContext context = ConfigValidationTest.start(vaulted(FakeAzure.CLIENT_SECRET))) {
            ProducerTemplate producer = context.getBean(ProducerTemplate.class);
            producer.requestBodyAndHeader("direct:sync-district", null, "CleverSyncDistrict", "vaulted");

            // both secrets rotated, in the database and Clever first, then in the vault: the next run reads them again
            new SchoolDb(url, "sync", DB_PASSWORD).execute("ALTER USER SYNC SET PASSWORD '" + ROTATED_DB_PASSWORD + "'");
            azure.secret("north-db-password", ROTATED_DB_PASSWORD);
            sandbox.rotateToken(ROTATED_CLEVER_TOKEN);
            azure.secret("vaulted-clever-token", ROTATED_CLEVER_TOKEN);
            context.getBean(SyncDistricts.class).get("vaulted").schools().get(0).database().releaseIdleConnections();
            producer.requestBodyAndHeader("direct:sync-district", null, "CleverSyncDistrict", "vaulted");
        }

        assertThat(azure.requests()).anyMatch(r -> r.startsWith("POST token ") && r.endsWith(" https://vault.azure.net/.default"));
        assertThat(azure.requests()).contains("GET /secrets/vaulted-clever-token", "GET /secrets/north-clever-id", "GET /secrets/north-jdbc-url",
                "GET /secrets/north-db-password");
        SchoolDb north = new SchoolDb(url, "sync", ROTATED_DB_PASSWORD);
        assertThat(north.count("SELECT COUNT(*) FROM sync_runs WHERE status = 'SUCCEEDED'")).isEqualTo(2);
        assertThat(north.count("SELECT COUNT(*) FROM students")).isPositive();
        assertThat(output.getAll()).contains("the district token was rotated; retrying with the new one")
                .contains("the configured one has changed (rotated), so a new pool logs in with it");
        for (String secret : List.of(CLEVER_TOKEN, DB_PASSWORD, ROTATED_CLEVER_TOKEN, ROTATED_DB_PASSWORD,
                FakeAzure.CLIENT_SECRET)) {
            assertThat(output.getAll()).doesNotContain(secret);
        }
    }

    @Test
    void aMissingSecretStopsStartupNamingTheKeyAndTheSecret(CapturedOutput output) {
        Map<String, Object> config = vaulted(FakeAzure.CLIENT_SECRET);
        config.put(SCHOOL + ".password", "{{azure:no-such-secret}}");
        azure.secret("vaulted-clever-token", CLEVER_TOKEN);
        azure.secret("north-clever-id", "5a1000000000000000000001");
        azure.secret("north-jdbc-url", TestDatabases.h2("vaulted-missing"));

        InvalidConfigurationException e = ConfigValidationTest.startupFailure(config, output, SCHOOL + ".password");

        assertThat(e.getMessage()).startsWith(SCHOOL + ".password: cannot resolve {{azure:no-such-secret}}: ")
                .contains("SecretNotFound");
        assertThat(output.getAll()).doesNotContain(CLEVER_TOKEN).doesNotContain(FakeAzure.CLIENT_SECRET);
    }

    @Test
    void refusedCredentialsStopStartupNamingTheKeyAndTheSecret(CapturedOutput output) {
        Map<String, Object> config = vaulted("Canary-Wrong-Client-Secret-9");

        InvalidConfigurationException e = ConfigValidationTest.startupFailure(config, output, DISTRICT + ".token");

        assertThat(e.getMessage()).startsWith(DISTRICT + ".token: cannot resolve {{azure:vaulted-clever-token}}: ")
                .contains("AADSTS7000215");
        assertThat(output.getAll()).doesNotContain("Canary-Wrong-Client-Secret-9");
    }

    /** A district whose token, Clever id, JDBC URL and password are Key Vault secrets, and the vault's service principal. */
    private static Map<String, Object> vaulted(String clientSecret) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("spring.main.web-application-type", "none");
        config.put("logging.level.root", "DEBUG"); // the Azure SDK and MSAL too: no secret at any level
        config.put("camel.main.run-controller", "false");
        config.put("cleversync.sandbox.enabled", "false");
        config.put("cleversync.clever.base-url", sandbox.baseUrl());
        config.put("camel.vault.azure.vault-name", FakeAzure.VAULT);
        config.put("camel.vault.azure.tenant-id", FakeAzure.TENANT);
        config.put("camel.vault.azure.client-id", FakeAzure.CLIENT_ID);
        config.put("camel.vault.azure.client-secret", clientSecret);
        config.put(DISTRICT + ".token", "{{azure:vaulted-clever-token}}");
        config.put(DISTRICT + ".schedule", "0 0 2 1 1 ? 2099");
        config.put(SCHOOL + ".clever-id", "{{azure:north-clever-id}}");
        config.put(SCHOOL + ".jdbc-url", "{{azure:north-jdbc-url}}");
        config.put(SCHOOL + ".username", "sync");
        config.put(SCHOOL + ".password", "{{azure:north-db-password}}");
        return config;
    }

}

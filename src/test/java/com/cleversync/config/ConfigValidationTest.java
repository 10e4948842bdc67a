package com.cleversync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import com.cleversync.CleverSyncApplication;
import com.cleversync.TestDatabases;
import com.cleversync.sync.SyncDistricts;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An operator's configuration mistake stops the real application at startup with an
 * {@link InvalidConfigurationException} naming the offending key, and Spring Boot's
 * "APPLICATION FAILED TO START" report says which key to correct.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigValidationTest {
    private static final String DISTRICT = "cleversync.districts.cfgcheck";
    private static final String SCHOOL = DISTRICT + ".schools.s";
    private static final String CLEVER_ID = "5a1000000000000000000000";

    @Test
    void aValidConfigurationStarts() {
        Map<String, Object> config = valid();
        config.put("cleversync.clever.page-size", "10000");
        config.put(DISTRICT + ".time-zone", "America/Chicago");

        try (ConfigurableApplicationContext context = start(config)) {
            assertThat(context.isRunning()).isTrue();
            assertThat(context.getBean(SyncDistricts.class).get("cfgcheck").schools())
                    .extracting(s -> s.sourceId()).containsExactly(CLEVER_ID);
            assertThat(context.getBean(CamelContext.class).getRoutes()).extracting(Route::getRouteId)
                    .contains("district-cfgcheck", "school-cfgcheck-s")
                    .as("no webhook, no notification route").doesNotContain("run-notifications");
        }
    }

    @Test
    void thePageSizeBoundsAreInclusive() {
        Map<String, Object> config = valid();
        config.put("cleversync.clever.page-size", "1");

        try (ConfigurableApplicationContext context = start(config)) {
            assertThat(context.isRunning()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 2 * * *", "every night at 2", "0 0 25 * * ?"})
    void aScheduleThatIsNotAQuartzCronFailsStartupNamingTheKey(String schedule, CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put(DISTRICT + ".schedule", schedule);

        InvalidConfigurationException e = startupFailure(config, output, DISTRICT + ".schedule");

        assertThat(e.getMessage()).contains("cron").contains(schedule);
    }

    @Test
    void anEventsScheduleThatIsNotAQuartzCronFailsStartupNamingTheKey(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put(DISTRICT + ".events-schedule", "every 5 minutes");

        InvalidConfigurationException e = startupFailure(config, output, DISTRICT + ".events-schedule");

        assertThat(e.getMessage()).contains("cron").contains("every 5 minutes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "100.5", "NaN"})
    void aMaxArchiveShareThatIsNotAPercentageFailsStartupNamingTheKey(String share, CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put("cleversync.sync.max-archive-share", share);

        InvalidConfigurationException e = startupFailure(config, output, "cleversync.sync.max-archive-share");

        assertThat(e.getMessage()).contains("percentage between 0 and 100");
    }

    @Test
    void aControlDatabaseThatIsNeitherPostgresNorSqlServerFailsStartupNamingTheKey(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put("cleversync.control.jdbc-url", "jdbc:mariadb://localhost:3306/control");

        InvalidConfigurationException e = startupFailure(config, output, "cleversync.control.jdbc-url");

        assertThat(e.getMessage()).contains("must be a jdbc:postgresql: or jdbc:sqlserver: URL");
    }

    @ParameterizedTest
    @CsvSource({"10s, 6s", "10s, 0s", "1s, 1s"})
    void leasesThatCouldExpireWhileTheirReplicaLivesFailStartupNamingTheKey(String ttl, String renewal,
                                                                             CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put("cleversync.control.jdbc-url", "jdbc:postgresql://localhost:5432/control");
        config.put("cleversync.control.lease-ttl", ttl);
        config.put("cleversync.control.lease-renewal", renewal);

        String key = ttl.equals("1s") ? "cleversync.control.lease-ttl" : "cleversync.control.lease-renewal";
        startupFailure(config, output, key);
    }

    @Test
    void aMassArchiveAcceptanceForAnUnknownSchoolFailsStartupNamingTheKey(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put("cleversync.sync.accept-mass-archive", "nowhere/lincoln");

        InvalidConfigurationException e = startupFailure(config, output, "cleversync.sync.accept-mass-archive");

        assertThat(e.getMessage()).contains("'nowhere/lincoln' is not a configured school");
    }

    @Test
    void aJdbcUrlOfAnUnsupportedDatabaseFailsStartupNamingTheKey(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put(SCHOOL + ".jdbc-url", "jdbc:mysql://x");

        InvalidConfigurationException e = startupFailure(config, output, SCHOOL + ".jdbc-url");

        assertThat(e.getMessage()).contains("jdbc:sqlserver:").contains("jdbc:postgresql:").contains("jdbc:h2:");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 10001})
    void aPageSizeOutside1To10000FailsStartupNamingTheKey(int pageSize, CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put("cleversync.clever.page-size", String.valueOf(pageSize));

        InvalidConfigurationException e = startupFailure(config, output, "cleversync.clever.page-size");

        assertThat(e.getMessage()).contains("between 1 and 10000").endsWith(String.valueOf(pageSize));
    }

    @Test
    void aSchoolWithoutASourceIdFailsStartupNamingTheKey(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.remove(SCHOOL + ".clever-id");

        InvalidConfigurationException e = startupFailure(config, output, SCHOOL + ".source-id");

        assertThat(e.getMessage()).contains("required");
    }

    @Test
    void aSchoolWithBothItsSourceIdAndTheOlderCleverIdFailsStartupNamingTheKey(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put(SCHOOL + ".source-id", CLEVER_ID);

        InvalidConfigurationException e = startupFailure(config, output, SCHOOL + ".clever-id");

        assertThat(e.getMessage()).contains("older name of source-id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void aDistrictWithoutATokenFailsStartupNamingTheKey(String token, CapturedOutput output) {
        Map<String, Object> config = valid();
        if (token.isEmpty()) {
            config.remove(DISTRICT + ".token");
        } else {
            config.put(DISTRICT + ".token", token);
        }

        InvalidConfigurationException e = startupFailure(config, output, DISTRICT + ".token");

        assertThat(e.getMessage()).contains("required");
    }

    @Test
    void anUnknownTimeZoneFailsStartupNamingTheKey(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put(DISTRICT + ".time-zone", "Mars/Olympus_Mons");

        InvalidConfigurationException e = startupFailure(config, output, DISTRICT + ".time-zone");

        assertThat(e.getMessage()).contains("time zone").contains("Mars/Olympus_Mons");
    }

    @Test
    void anH2DatabaseInAnotherModeThanSqlServerFailsStartupNamingTheKey(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put(SCHOOL + ".jdbc-url", "jdbc:h2:mem:cfg-pg;MODE=PostgreSQL");

        InvalidConfigurationException e = startupFailure(config, output, SCHOOL + ".jdbc-url");

        assertThat(e.getMessage()).contains("MODE=MSSQLServer");
    }

    @Test
    void twoSchoolsWithTheSameCleverIdFailStartupNamingTheSecond(CapturedOutput output) {
        Map<String, Object> config = new LinkedHashMap<>(valid());
        config.remove(SCHOOL + ".clever-id");
        config.remove(SCHOOL + ".jdbc-url");
        config.put(DISTRICT + ".schools.first.clever-id", CLEVER_ID);
        config.put(DISTRICT + ".schools.first.jdbc-url", TestDatabases.h2("cfg-first"));
        config.put(DISTRICT + ".schools.second.clever-id", CLEVER_ID);
        config.put(DISTRICT + ".schools.second.jdbc-url", TestDatabases.h2("cfg-second"));

        InvalidConfigurationException e = startupFailure(config, output, DISTRICT + ".schools.second.clever-id");

        assertThat(e.getMessage()).contains("'first'");
    }

    @Test
    void aMisspeltDistrictKeyFailsStartupNamingItAndTheKeyMeant(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.remove(DISTRICT + ".schedule");
        config.put(DISTRICT + ".shedule", "0 0 5 * * ?");

        InvalidConfigurationException e = startupFailure(config, output, DISTRICT + ".shedule");

        assertThat(e.getMessage()).isEqualTo(DISTRICT + ".shedule: is not a known key; did you mean 'schedule'?");
    }

    @Test
    void aMisspeltSchoolKeyFailsStartupNamingItAndTheKeyMeant(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put(SCHOOL + ".pasword", "secret");

        InvalidConfigurationException e = startupFailure(config, output, SCHOOL + ".pasword");

        assertThat(e.getMessage()).endsWith("did you mean 'password'?").doesNotContain("secret");
    }

    @Test
    void aMisspeltSyncKeyFailsStartupNamingItAndTheKeyMeant(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put("cleversync.sync.batch-sise", "50");

        InvalidConfigurationException e = startupFailure(config, output, "cleversync.sync.batch-sise");

        assertThat(e.getMessage()).endsWith("did you mean 'batch-size'?");
    }

    @Test
    void anUnknownKeyFarFromAnyKnownOneListsTheKeysKnownThere(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put("cleversync.clever.retry.colour", "blue");

        InvalidConfigurationException e = startupFailure(config, output, "cleversync.clever.retry.colour");

        assertThat(e.getMessage()).endsWith("the keys known here are [attempts, initial-delay, max-delay]");
    }

    @Test
    void aKeyBelowAValueFailsStartup(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put(DISTRICT + ".schedule.cron", "0 0 5 * * ?");

        startupFailure(config, output, DISTRICT + ".schedule.cron");
    }

    @Test
    void cleverOverPlainHttpFailsStartupUnlessTheHostIsLoopback(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put("cleversync.clever.base-url", "http://api.clever.com");

        InvalidConfigurationException e = startupFailure(config, output, "cleversync.clever.base-url");

        assertThat(e.getMessage()).contains("must use https");
        for (String loopback : new String[] {"http://127.0.0.1:8089", "http://localhost:8089", "http://[::1]:8089"}) {
            config.put("cleversync.clever.base-url", loopback);
            try (ConfigurableApplicationContext context = start(config)) {
                assertThat(context.isRunning()).as(loopback).isTrue();
            }
        }
    }

    @Test
    void aSqlServerUrlThatTrustsAnyCertificateIsNamedInAWarningWithoutTheUrl(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put(SCHOOL + ".jdbc-url",
                "jdbc:sqlserver://127.0.0.1:1;databaseName=lincoln;trustServerCertificate=true;password=Canary-Pw-77");

        try (ConfigurableApplicationContext context = start(config)) {
            assertThat(context.isRunning()).isTrue();
        }

        assertThat(output.getAll()).contains("school cfgcheck/s: its jdbc-url sets trustServerCertificate=true")
                .doesNotContain("Canary-Pw-77");
    }

    @Test
    void aKeyVaultPlaceholderWithoutAConfiguredVaultFailsStartupNamingTheKeyAndTheSecret(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put(DISTRICT + ".token", "{{azure:springfield-clever-token}}");

        InvalidConfigurationException e = startupFailure(config, output, DISTRICT + ".token");

        assertThat(e.getMessage()).startsWith(DISTRICT + ".token: cannot resolve {{azure:springfield-clever-token}}: ")
                .contains("Azure credentials");
    }

    @Test
    void anUnreachableKeyVaultFailsStartupNamingTheKeyAndTheSecretButNoCredential(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put("camel.vault.azure.vault-name", "cleversync-unreachable-test");
        config.put("camel.vault.azure.tenant-id", "00000000-0000-0000-0000-000000000000");
        config.put("camel.vault.azure.client-id", "11111111-1111-1111-1111-111111111111");
        config.put("camel.vault.azure.client-secret", "Canary-Vault-Client-Secret-31");
        config.put(SCHOOL + ".password", "{{azure:lincoln-db-password}}");

        InvalidConfigurationException e = startupFailure(config, output, SCHOOL + ".password");

        assertThat(e.getMessage()).startsWith(SCHOOL + ".password: cannot resolve {{azure:lincoln-db-password}}: ");
        assertThat(output.getAll()).doesNotContain("Canary-Vault-Client-Secret-31");
    }

    @Test
    void aPlaceholderThatCannotBeResolvedNeverShowsTheRestOfTheValue(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put(SCHOOL + ".jdbc-url", TestDatabases.h2("cfg") + ";PASSWORD=Canary-Url-Pw-9;USER={{no-such-property}}");

        InvalidConfigurationException e = startupFailure(config, output, SCHOOL + ".jdbc-url");

        assertThat(e.getMessage()).startsWith(SCHOOL + ".jdbc-url: cannot resolve {{no-such-property}}: ")
                .contains("[configured value withheld]");
        assertThat(output.getAll()).doesNotContain("Canary-Url-Pw-9");
    }

    @Test
    void omittingAFieldRecordsAreRoutedByFailsStartupNamingTheKey(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put("cleversync.sync.omit-fields", "dob,school");

        InvalidConfigurationException e = startupFailure(config, output, "cleversync.sync.omit-fields");

        assertThat(e.getMessage()).contains("'school' cannot be omitted");
    }

    @Test
    void aJdbcUrlOfAnUnsupportedDatabaseIsReportedWithoutTheUrl(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put(SCHOOL + ".jdbc-url", "jdbc:mysql://db.example.org/lincoln?user=sync&password=Canary-Report-Pw-5");

        startupFailure(config, output, SCHOOL + ".jdbc-url");

        assertThat(output.getAll()).doesNotContain("Canary-Report-Pw-5");
    }

    @Test
    void aManagementPasswordThatDoesNotNameItsEncodingFailsStartupNamingTheKey(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put("spring.main.web-application-type", "servlet"); // the login exists on the web server only
        config.put("server.port", "0");
        config.put("cleversync.management.users.alice.password", "Canary-Plain-Pw-6");
        config.put("cleversync.management.users.alice.roles", "OPERATOR");

        InvalidConfigurationException e = startupFailure(config, output, "cleversync.management.users.alice.password");

        assertThat(e.getMessage()).contains("{bcrypt}");
        assertThat(output.getAll()).doesNotContain("Canary-Plain-Pw-6");
    }

    @Test
    void aPlainTextManagementPasswordStartsWithAWarning(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put("spring.main.web-application-type", "servlet"); // the login exists on the web server only
        config.put("server.port", "0");
        config.put("cleversync.management.users.victor.password", "{noop}Canary-Noop-Pw-6");
        config.put("cleversync.management.users.victor.roles", "VIEWER");

        try (ConfigurableApplicationContext context = start(config)) {
            assertThat(context.isRunning()).isTrue();
        }

        assertThat(output.getAll()).contains("management user 'victor' has a {noop} (plain text) password")
                .doesNotContain("Canary-Noop-Pw-6");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://files.example.org/Canary-Hook-1", "hooks.slack.com/services/Canary-Hook-2",
            "https://", "not a URL Canary-Hook-3", "{{cfg.empty-hook}}"})
    void aWebhookUrlThatIsNotAnHttpUrlFailsStartupNamingTheKeyButNotTheValue(String url, CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put("cfg.empty-hook", "");
        config.put("cleversync.notifications.webhook-url", url);

        InvalidConfigurationException e = startupFailure(config, output, "cleversync.notifications.webhook-url");

        assertThat(e.getMessage()).contains("must be an http or https URL").doesNotContain("Canary-Hook");
        assertThat(output.getAll()).doesNotContain("Canary-Hook");
    }

    @ParameterizedTest
    @CsvSource({"retry.attempts, 0, must be at least 1", "retry.initial-delay, -1s, must not be negative",
            "retry.max-delay, 100ms, must not be shorter than initial-delay", "timeout, 0s, must be positive"})
    void aWebhookRetryOrTimeoutItCannotWorkWithFailsStartupNamingTheKey(String key, String value, String problem,
                                                                       CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put("cleversync.notifications.webhook-url", "https://hooks.example.org/Canary-Hook-4");
        config.put("cleversync.notifications." + key, value);

        InvalidConfigurationException e = startupFailure(config, output, "cleversync.notifications." + key);

        assertThat(e.getMessage()).contains(problem);
    }

    @Test
    void aWebhookPlaceholderWithoutAConfiguredVaultFailsStartupNamingTheKeyAndTheSecret(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put("cleversync.notifications.webhook-url", "{{azure:teams-webhook}}");

        InvalidConfigurationException e = startupFailure(config, output, "cleversync.notifications.webhook-url");

        assertThat(e.getMessage()).startsWith("cleversync.notifications.webhook-url: cannot resolve {{azure:teams-webhook}}: ");
    }

    @Test
    void aWebhookAddsTheNotificationRouteAndPlainHttpToAnotherHostIsNamedInAWarningWithoutTheUrl(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put("cleversync.notifications.webhook-url", "http://relay.example.org/hooks/Canary-Hook-5");

        try (ConfigurableApplicationContext context = start(config)) {
            assertThat(context.getBean(CamelContext.class).getRoute("run-notifications")).isNotNull();
        }

        assertThat(output.getAll()).contains("cleversync.notifications.webhook-url uses plain http")
                .doesNotContain("Canary-Hook");
    }

    /**
     * A minimal valid configuration: one district with one H2 school, the sandbox off, no scheduled
     * run soon. Keys that {@code application.yaml} also sets (page size, run controller) are given
     * as command-line arguments by {@link #start}, since builder properties rank below that file.
     */
    private static Map<String, Object> valid() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("spring.main.web-application-type", "none");
        config.put("camel.main.run-controller", "false");
        config.put("cleversync.sandbox.enabled", "false");
        config.put(DISTRICT + ".token", "cfg-token");
        config.put(DISTRICT + ".schedule", "0 0 2 1 1 ? 2099");
        config.put(SCHOOL + ".clever-id", CLEVER_ID);
        config.put(SCHOOL + ".jdbc-url", TestDatabases.h2("cfg"));
        return config;
    }

    /**
     * Runs the application. Every key is set as a builder property (ordered, so schools bind in the
     * order given); keys outside {@code cleversync.districts} are also passed as command-line
     * arguments, which outrank {@code application.yaml}.
     */
    static ConfigurableApplicationContext start(Map<String, Object> config) {
        String[] args = config.entrySet().stream().filter(e -> !e.getKey().startsWith("cleversync.districts."))
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new SpringApplicationBuilder(CleverSyncApplication.class).properties(config).run(args);
    }

    /** Starts the application expecting it to fail on {@code key}; asserts the exception and the startup report. */
    static InvalidConfigurationException startupFailure(Map<String, Object> config, CapturedOutput output,
                                                        String key) {
        Throwable thrown = catchThrowable(() -> start(config).close());
        assertThat(thrown).as("startup must fail on %s", key).isNotNull();
        InvalidConfigurationException invalid = null;
        for (Throwable t = thrown; t != null && invalid == null; t = t.getCause()) {
            if (t instanceof InvalidConfigurationException e) {
                invalid = e;
            }
        }
        if (invalid == null) {
            fail("startup failed without an InvalidConfigurationException in the cause chain", thrown);
        }
        assertThat(invalid.key()).isEqualTo(key);
        assertThat(invalid.getMessage()).startsWith(key + ": ");
        assertThat(output.getAll())
                .contains("APPLICATION FAILED TO START")
                .contains("Invalid configuration: " + key + ": ")
                .contains("Correct '" + key + "'");
        return invalid;
    }
}

package com.cleversync.config;

import static com.cleversync.config.ConfigValidationTest.start;
import static com.cleversync.config.ConfigValidationTest.startupFailure;
import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.TestDatabases;
import com.cleversync.oneroster.OneRosterApi;
import com.cleversync.sync.DistrictSource;
import com.cleversync.sync.SyncDistricts;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A district that rosters from OneRoster: its provider's preset fills in what the district leaves
 * out, any key overrides it, and a mistake stops startup naming the key. A school's database takes
 * its roster from one source only.
 */
@ExtendWith(OutputCaptureExtension.class)
class OneRosterConfigTest {
    private static final String DISTRICT = "cleversync.districts.springfield-ps";
    private static final String ONEROSTER = DISTRICT + ".oneroster";
    private static final String SECRET = "s3cr3t-never-shown";

    @Test
    void aOneRosterDistrictGetsItsProvidersPresetAndTheVersionsStandardPath() {
        Map<String, Object> config = valid();
        config.put(ONEROSTER + ".provider", "powerschool");
        config.remove(ONEROSTER + ".token-url");

        try (ConfigurableApplicationContext context = start(config)) {
            DistrictSource.OneRoster source = source(context);
            assertThat(source.api()).isEqualTo(new OneRosterApi("https://sis.example.org/ims/oneroster/rostering/v1p2",
                    "1.2", 1000, 300, true, Duration.ofMinutes(10)));
            assertThat(source.token().toString()).contains("https://sis.example.org/oauth/access_token")
                    .contains("or-client").doesNotContain(SECRET);
            assertThat(context.getBean(SyncDistricts.class).get("springfield-ps").schools())
                    .extracting(s -> s.sourceId()).containsExactly("org-lincoln");
            assertThat(context.getBean(CamelContext.class).getRoutes()).extracting(Route::getRouteId)
                    .contains("district-springfield-ps", "school-springfield-ps-lincoln-high",
                            "oneroster-list-springfield-ps", "oneroster-page-springfield-ps")
                    .doesNotContain("clever-list-springfield-ps");
        }
    }

    @Test
    void everyKeyOverridesThePresetAndABaseUrlWithAPathIsUsedAsGiven() {
        Map<String, Object> config = valid();
        config.put(ONEROSTER + ".provider", "infinite-campus");
        config.put(ONEROSTER + ".version", "1.1");
        config.put(ONEROSTER + ".base-url", "https://campus.example.org/campus/api/oneroster/v1p1/springfield/ims/oneroster/v1p1/");
        config.put(ONEROSTER + ".page-size", "5000");
        config.put(ONEROSTER + ".requests-per-minute", "60");
        config.put(ONEROSTER + ".deltas", "false");
        config.put(ONEROSTER + ".delta-margin", "30m");

        try (ConfigurableApplicationContext context = start(config)) {
            assertThat(source(context).api()).isEqualTo(new OneRosterApi(
                    "https://campus.example.org/campus/api/oneroster/v1p1/springfield/ims/oneroster/v1p1",
                    "1.1", 5000, 60, false, Duration.ofMinutes(30)));
        }
    }

    @Test
    void aVersionOtherThan11Or12FailsStartupNamingTheKey(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put(ONEROSTER + ".version", "2.0");

        assertThat(startupFailure(config, output, ONEROSTER + ".version").getMessage()).contains("1.1 or 1.2");
    }

    @Test
    void aProviderWhoseTokenEndpointIsUnknownNeedsTheTokenUrl(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put(ONEROSTER + ".provider", "skyward");
        config.remove(ONEROSTER + ".token-url");

        assertThat(startupFailure(config, output, ONEROSTER + ".token-url").getMessage())
                .contains("skyward preset does not know where its token endpoint is");
    }

    @ParameterizedTest
    @ValueSource(strings = {"client-id", "client-secret", "base-url"})
    void aMissingCredentialOrAddressFailsStartupNamingTheKey(String key, CapturedOutput output) {
        Map<String, Object> config = valid();
        config.remove(ONEROSTER + "." + key);

        assertThat(startupFailure(config, output, ONEROSTER + "." + key).getMessage()).contains("is required");
        assertThat(output.getAll()).doesNotContain(SECRET);
    }

    @Test
    void plainHttpIsRefusedExceptOnLoopback(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put(ONEROSTER + ".token-url", "http://sis.example.org/oauth/token");

        assertThat(startupFailure(config, output, ONEROSTER + ".token-url").getMessage()).contains("must use https");
    }

    @Test
    void aCleverTokenOnAOneRosterDistrictFailsStartupNamingTheKey(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put(DISTRICT + ".token", "a-clever-token");

        assertThat(startupFailure(config, output, DISTRICT + ".token").getMessage())
                .contains("a OneRoster district signs in with oneroster.client-id");
    }

    @Test
    void aOneRosterBlockOnACleverDistrictFailsStartupNamingTheKey(CapturedOutput output) {
        Map<String, Object> config = valid();
        config.put(DISTRICT + ".source", "clever");
        config.put(DISTRICT + ".token", "a-clever-token");

        assertThat(startupFailure(config, output, ONEROSTER).getMessage()).contains("only with source: oneroster");
    }

    @Test
    void aSchoolDatabaseUnderTwoDistrictsWithDifferentSourcesFailsStartupWithTheReason(CapturedOutput output) {
        Map<String, Object> config = valid();
        String shared = (String) config.get(DISTRICT + ".schools.lincoln-high.jdbc-url");
        config.put("cleversync.districts.springfield-clever.token", "a-clever-token");
        config.put("cleversync.districts.springfield-clever.schedule", "0 0 2 1 1 ? 2099");
        config.put("cleversync.districts.springfield-clever.schools.lincoln.clever-id", "5a1000000000000000000000");
        config.put("cleversync.districts.springfield-clever.schools.lincoln.jdbc-url", shared);

        InvalidConfigurationException e = startupFailure(config, output,
                "cleversync.districts.springfield-clever.schools.lincoln.jdbc-url");

        assertThat(e.getMessage()).contains("is also the database of school springfield-ps/lincoln-high")
                .contains("reads oneroster while this one reads clever")
                .contains("a school's database takes its roster from one source only");
    }

    private static DistrictSource.OneRoster source(ConfigurableApplicationContext context) {
        return (DistrictSource.OneRoster) context.getBean(SyncDistricts.class).get("springfield-ps").source();
    }

    private static Map<String, Object> valid() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(DISTRICT + ".source", "oneroster");
        config.put(ONEROSTER + ".base-url", "https://sis.example.org");
        config.put(ONEROSTER + ".version", "1.2");
        config.put(ONEROSTER + ".token-url", "https://sis.example.org/oauth/token");
        config.put(ONEROSTER + ".client-id", "or-client");
        config.put(ONEROSTER + ".client-secret", SECRET);
        config.put(DISTRICT + ".schedule", "0 0 2 1 1 ? 2099");
        config.put(DISTRICT + ".schools.lincoln-high.source-id", "org-lincoln");
        config.put(DISTRICT + ".schools.lincoln-high.jdbc-url", TestDatabases.h2("or-cfg"));
        return config;
    }
}

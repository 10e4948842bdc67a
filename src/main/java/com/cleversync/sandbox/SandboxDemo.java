package com.cleversync.sandbox;

import com.cleversync.config.CleverSyncProperties;
import com.cleversync.oneroster.OneRosterProvider;
import com.cleversync.sandbox.oneroster.OneRosterSandbox;
import com.cleversync.sync.BuiltInClever;
import java.nio.file.Path;
import com.cleversync.sandbox.attendance.AttendanceSettings;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The zero-configuration demo: the Clever sandbox's district, synced into H2 files under
 * {@code cleversync.sandbox.data-dir}, every school but the last (which shows "records skipped" in
 * the run summary), in full at 02:00 and incrementally every 15 minutes, and once at startup, its
 * attendance (Clever's v3.1, this school year's) at 04:00 and after the startup sync; and
 * beside it the OneRoster sandbox's district (another generated district, served as OneRoster 1.2),
 * synced the same way into files of its own.
 */
record SandboxDemo(CleverSandbox sandbox, OneRosterSandbox oneRoster, CleverSyncProperties.Sandbox config)
        implements BuiltInClever {
    @Override
    public String baseUrl() {
        return sandbox.baseUrl();
    }

    @Override
    public Map<String, CleverSyncProperties.District> demoDistricts() {
        Map<String, CleverSyncProperties.District> districts = new LinkedHashMap<>();
        LocalDate yearStart = AttendanceSettings.schoolYearOf(LocalDate.ofInstant(sandbox.district().now(),
                ZoneOffset.UTC)).firstDay();
        districts.put("sandbox", new CleverSyncProperties.District(CleverSyncProperties.Source.CLEVER, sandbox.token(),
                null, "0 0 2 * * ?", "0 0/15 * * * ?", "UTC", true, schools(sandbox.district(), "sandbox"),
                new CleverSyncProperties.Attendance(CleverSyncProperties.AttendanceSource.CLEVER, "0 0 4 * * ?",
                        yearStart.toString(), Duration.ofDays(7), Duration.ofDays(7), null)));
        OneRosterSandbox.Settings settings = oneRoster.settings();
        CleverSyncProperties.OneRoster provider = new CleverSyncProperties.OneRoster(oneRoster.baseUrl(),
                settings.version(), oneRoster.tokenUrl(), settings.clientId(), settings.clientSecret(), null,
                OneRosterProvider.GENERIC, settings.maxPageSize(), settings.requestsPerMinute(), null, null,
                Duration.ofMinutes(10));
        districts.put("sandbox-oneroster", new CleverSyncProperties.District(CleverSyncProperties.Source.ONEROSTER,
                null, provider, "0 0 2 * * ?", "0 0/15 * * * ?", "UTC", true,
                schools(oneRoster.district(), "sandbox-oneroster"), null));
        return districts;
    }

    /** Every school of a generated district but the last, each into an H2 file named after the district. */
    private Map<String, CleverSyncProperties.School> schools(SandboxDistrict district, String name) {
        Map<String, CleverSyncProperties.School> schools = new LinkedHashMap<>();
        List<String> ids = district.records(SandboxResource.SCHOOLS).map(s -> s.get("id").asText()).toList();
        for (int i = 0; i < Math.max(1, ids.size() - 1); i++) {
            String key = "school-" + (i + 1);
            String file = Path.of(config.dataDir(), name + "-" + key).toAbsolutePath().toString();
            schools.put(key, new CleverSyncProperties.School(ids.get(i), null, "jdbc:h2:file:" + file, "sa", "", null));
        }
        return schools;
    }
}

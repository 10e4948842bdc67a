package com.cleversync.sandbox;

import com.cleversync.config.CleverSyncProperties;
import com.cleversync.sync.BuiltInClever;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The zero-configuration demo: the sandbox's district, synced into H2 files under
 * {@code cleversync.sandbox.data-dir}, every school but the last (which shows "records skipped" in
 * the run summary), in full at 02:00 and incrementally every 15 minutes, and once at startup.
 */
record SandboxDemo(CleverSandbox sandbox, CleverSyncProperties.Sandbox config) implements BuiltInClever {
    @Override
    public String baseUrl() {
        return sandbox.baseUrl();
    }

    @Override
    public Map<String, CleverSyncProperties.District> demoDistricts() {
        Map<String, CleverSyncProperties.School> schools = new LinkedHashMap<>();
        List<String> ids = sandbox.district().records(SandboxResource.SCHOOLS).map(s -> s.get("id").asText()).toList();
        for (int i = 0; i < Math.max(1, ids.size() - 1); i++) {
            String key = "school-" + (i + 1);
            String file = Path.of(config.dataDir(), "sandbox-" + key).toAbsolutePath().toString();
            schools.put(key, new CleverSyncProperties.School(ids.get(i), "jdbc:h2:file:" + file, "sa", ""));
        }
        return Map.of("sandbox", new CleverSyncProperties.District(sandbox.token(), "0 0 2 * * ?", "0 0/15 * * * ?",
                "UTC", true, schools));
    }
}

package com.cleversync.sync;

import com.cleversync.config.CleverSyncProperties;
import java.util.Map;

/**
 * A Clever API running inside the service (the sandbox's simulator), which the sync talks to
 * instead of {@code cleversync.clever.base-url}, with the demo's districts when none is configured.
 * The sandbox provides it; the engine only knows this interface.
 */
public interface BuiltInClever {
    /** Where it serves the API: scheme://host:port. */
    String baseUrl();

    /** The districts to sync when the configuration names none (the zero-configuration demo). */
    Map<String, CleverSyncProperties.District> demoDistricts();
}

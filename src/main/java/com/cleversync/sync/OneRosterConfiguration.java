package com.cleversync.sync;

import com.cleversync.config.CleverSyncProperties;
import com.cleversync.config.InvalidConfigurationException;
import com.cleversync.oneroster.ClientAuthentication;
import com.cleversync.oneroster.OneRosterApi;
import com.cleversync.oneroster.OneRosterProvider;
import com.cleversync.oneroster.OneRosterToken;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;

/**
 * A OneRoster district's {@code oneroster:} block as its source: the provider's preset with every
 * key set overriding it, placeholders resolved, each value checked and a bad one named by its key.
 */
final class OneRosterConfiguration {

    private OneRosterConfiguration() {}

    static DistrictSource.OneRoster source(String district, CleverSyncProperties.District d, CamelContext camel) {
        String prefix = district + ".oneroster";
        if (d.token() != null) {
            throw new InvalidConfigurationException(district + ".token", "is Clever's bearer token; a OneRoster district"
                    + " signs in with oneroster.client-id and oneroster.client-secret");
        }
        CleverSyncProperties.OneRoster o = d.oneroster();
        if (o == null) {
            throw new InvalidConfigurationException(prefix, "is required with source: oneroster"
                    + " (base-url, version, client-id, client-secret, provider)");
        }
        if (!"1.1".equals(o.version()) && !"1.2".equals(o.version())) {
            throw new InvalidConfigurationException(prefix + ".version", "must be 1.1 or 1.2, was '" + o.version() + "'");
        }
        URI base = httpUrl(prefix + ".base-url", SyncConfiguration.resolve(camel, prefix + ".base-url", o.baseUrl()));
        String root = base.toString().replaceAll("/+$", "");
        boolean hasPath = base.getRawPath() != null && !base.getRawPath().replace("/", "").isEmpty();
        String collectionsUrl = hasPath ? root : root + OneRosterApi.standardPath(o.version());

        OneRosterProvider provider = o.provider();
        int pageSize = o.pageSize() != null ? o.pageSize() : provider.pageSize();
        positive(prefix + ".page-size", pageSize);
        int requestsPerMinute = o.requestsPerMinute() != null ? o.requestsPerMinute() : provider.requestsPerMinute();
        positive(prefix + ".requests-per-minute", requestsPerMinute);
        if (o.deltaMargin().isNegative()) {
            throw new InvalidConfigurationException(prefix + ".delta-margin", "must not be negative");
        }
        boolean deltas = o.deltas() != null ? o.deltas() : provider.deltas();
        OneRosterApi api = new OneRosterApi(collectionsUrl, o.version(), pageSize, requestsPerMinute, deltas,
                o.deltaMargin());

        String tokenUrl = SyncConfiguration.resolve(camel, prefix + ".token-url", o.tokenUrl());
        if (tokenUrl == null) {
            if (provider.tokenPath() == null) {
                throw new InvalidConfigurationException(prefix + ".token-url", "is required: the "
                        + provider.name().toLowerCase().replace('_', '-') + " preset does not know where its"
                        + " token endpoint is (ask the district's SIS admin)");
            }
            tokenUrl = base.getScheme() + "://" + base.getRawAuthority() + provider.tokenPath();
        }
        URI tokenEndpoint = httpUrl(prefix + ".token-url", tokenUrl);
        String clientId = required(prefix + ".client-id", SyncConfiguration.resolve(camel, prefix + ".client-id",
                o.clientId()));
        if (o.clientSecret() == null || o.clientSecret().isBlank()) {
            throw new InvalidConfigurationException(prefix + ".client-secret", "is required");
        }
        // read again for every new token, so a secret rotated in Key Vault is picked up without a restart
        Supplier<String> secret = () -> SyncConfiguration.resolve(camel, prefix + ".client-secret", o.clientSecret());
        required(prefix + ".client-secret", secret.get());
        String scope = SyncConfiguration.resolve(camel, prefix + ".scope", o.scope());
        ClientAuthentication authentication = o.clientAuthentication() != null
                ? o.clientAuthentication() : provider.clientAuthentication();
        return new DistrictSource.OneRoster(api,
                OneRosterToken.of(tokenEndpoint, clientId, secret, scope, authentication));
    }

    /** An http(s) URL without query or fragment; plain http only for a loopback host (the secret travels with it). */
    private static URI httpUrl(String key, String value) {
        required(key, value);
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new InvalidConfigurationException(key, "is not a URL: " + e.getReason());
        }
        if (uri.getScheme() == null || uri.getHost() == null || !uri.getScheme().matches("https?")
                || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new InvalidConfigurationException(key, "must be an http(s) URL with a host and no user or fragment");
        }
        if (uri.getScheme().equals("http") && !SyncConfiguration.isLoopback(uri.getHost())) {
            throw new InvalidConfigurationException(key, "must use https (http only for a loopback host, such as"
                    + " the sandbox), was " + uri.getScheme() + "://" + uri.getHost());
        }
        return uri;
    }

    private static String required(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidConfigurationException(key, "is required");
        }
        return value;
    }

    private static void positive(String key, int value) {
        if (value < 1) {
            throw new InvalidConfigurationException(key, "must be at least 1, was " + value);
        }
    }
}

package com.cleversync.oneroster;

/**
 * What a district's SIS is known to need, as defaults that configuration overrides key by key. Few of
 * these facts are published by the vendors: the README says which are confirmed and which are
 * presets to check with the district's SIS admin.
 *
 * @param pageSize             records per page ({@code limit}): what the provider is set up to answer
 * @param requestsPerMinute    our own limit per client id (no vendor publishes one)
 * @param clientAuthentication how the token endpoint wants the client's id and secret
 * @param tokenPath            where the token endpoint is below the provider's origin, or null when the district must say
 * @param deltas               whether the provider answers {@code filter=dateLastModified>…}
 */
public enum OneRosterProvider {
    /** The standard as written: the spec's default page of 100. */
    GENERIC(100, 300, ClientAuthentication.BASIC, null, true),
    /** PowerSchool SIS's OneRoster plugin; integrators set its Maximum Page Size to 1000. */
    POWERSCHOOL(1000, 300, ClientAuthentication.BASIC, "/oauth/access_token", true),
    /**
     * Infinite Campus: the token URL carries the district's app name ({@code /campus/oauth2/token?appName=…}),
     * so the district gives it; Campus asks consumers to page serially at peak times.
     */
    INFINITE_CAMPUS(1000, 120, ClientAuthentication.FORM, null, true),
    /** Skyward SMS 2.0 / Qmlativ: the API Configuration screen gives the URL, key and secret. */
    SKYWARD(1000, 300, ClientAuthentication.BASIC, null, true),
    /** ClassLink Roster Server, direct per-district URL. */
    CLASSLINK(1000, 300, ClientAuthentication.BASIC, null, true);

    private final int pageSize;
    private final int requestsPerMinute;
    private final ClientAuthentication clientAuthentication;
    private final String tokenPath;
    private final boolean deltas;

    OneRosterProvider(int pageSize, int requestsPerMinute, ClientAuthentication clientAuthentication, String tokenPath,
                      boolean deltas) {
        this.pageSize = pageSize;
        this.requestsPerMinute = requestsPerMinute;
        this.clientAuthentication = clientAuthentication;
        this.tokenPath = tokenPath;
        this.deltas = deltas;
    }

    public int pageSize() {
        return pageSize;
    }

    public int requestsPerMinute() {
        return requestsPerMinute;
    }

    public ClientAuthentication clientAuthentication() {
        return clientAuthentication;
    }

    public String tokenPath() {
        return tokenPath;
    }

    public boolean deltas() {
        return deltas;
    }
}

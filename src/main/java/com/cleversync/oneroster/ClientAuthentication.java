package com.cleversync.oneroster;

/**
 * How a OneRoster client proves its identity to the token endpoint when asking for an OAuth 2.0
 * client-credentials token (RFC 6749 §2.3.1). Providers document different ones, and some accept only one, so
 * a district's configuration names it.
 */
public enum ClientAuthentication {
    /**
     * {@code Authorization: Basic base64(urlencode(id):urlencode(secret))}: the RFC's default, which every
     * authorization server must support. Documented for PowerSchool's plugin token
     * ({@code POST {server}/oauth/access_token}) and used by Moodle's OneRoster OAuth 2 client.
     */
    BASIC,
    /**
     * {@code client_id} and {@code client_secret} as fields of the form body: allowed but not recommended by the
     * RFC, and what some integrations of Infinite Campus's OneRoster 1.2 send.
     */
    FORM
}

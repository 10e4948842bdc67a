package com.cleversync.oneroster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * What a OneRoster token endpoint answered to a client-credentials request, read as an {@link AccessToken} or
 * as the failure it means: 5xx, 408 and 429 are worth trying again later, every other refusal needs the
 * configuration fixed. A failure's message carries the status and the OAuth {@code error} and
 * {@code error_description} (RFC 6749 §5.2), never the body as a whole: an answer may echo what it was sent.
 */
final class TokenAnswer {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Enough for any OAuth error description; a provider's HTML error page is not worth more in a log. */
    private static final int MAX_SHOWN = 200;
    /** Longer lifetimes are read as none: a provider meaning "never expires" sometimes says so with a huge number. */
    private static final long MAX_LIFETIME_SECONDS = Duration.ofDays(366).toSeconds();

    private final String url;
    private final int status;
    private final String body;
    private final String secret;

    /**
     * @param url    the token URL as it may be shown (no query, no user info)
     * @param secret the client secret sent, so that a provider echoing it cannot put it into a message
     */
    TokenAnswer(String url, int status, String body, String secret) {
        this.url = url;
        this.status = status;
        this.body = body;
        this.secret = secret;
    }

    /**
     * The token issued, replaced {@code refreshMargin} before it expires, counted from {@code asked}; the margin
     * is at most half the token's lifetime, so short-lived tokens are still used for a while.
     *
     * @throws OneRosterUnavailableException 5xx, 408 or 429
     * @throws OneRosterRejectedException    any other refusal, or a success without a usable bearer token
     */
    AccessToken accessToken(Instant asked, Duration refreshMargin) {
        JsonNode json = json();
        if (status / 100 != 2) {
            String failure = "the OneRoster token endpoint " + url + " answered " + status + oauthError(json);
            if (status == 408 || status == 429 || status >= 500) {
                throw new OneRosterUnavailableException(failure);
            }
            throw new OneRosterRejectedException(failure);
        }
        if (json == null || !json.isObject()) {
            throw new OneRosterRejectedException("the OneRoster token endpoint " + url + " answered " + status
                    + " with a body that is not a JSON object");
        }
        JsonNode token = json.get("access_token");
        if (token == null || !token.isTextual() || token.asText().isBlank()) {
            throw new OneRosterRejectedException("the OneRoster token endpoint " + url + " answered " + status
                    + " without an access_token" + oauthError(json));
        }
        JsonNode type = json.get("token_type");
        if (type != null && !type.isNull() && !"bearer".equalsIgnoreCase(type.asText())) {
            // RFC 6749 §7.1: a client must not use a token whose type it does not understand
            throw new OneRosterRejectedException("the OneRoster token endpoint " + url + " issued a token of type "
                    + shown(type.asText()) + ", not a bearer token");
        }
        Duration lifetime = lifetime(json.get("expires_in"));
        if (lifetime == null) {
            return new AccessToken(token.asText(), null);
        }
        Duration half = lifetime.dividedBy(2);
        Duration margin = refreshMargin.compareTo(half) > 0 ? half : refreshMargin;
        return new AccessToken(token.asText(), asked.plus(lifetime).minus(margin));
    }

    /** The body as JSON, or null when it is none. */
    private JsonNode json() {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            // not kept as a cause: Jackson quotes the body in its message, and the body may hold a token
            return null;
        }
    }

    /** {@code " (error: description)"}, or nothing when the body says neither. */
    private String oauthError(JsonNode json) {
        if (json == null || !json.isObject()) {
            return "";
        }
        JsonNode error = json.get("error");
        JsonNode description = json.get("error_description");
        boolean hasError = error != null && error.isValueNode() && !error.asText().isBlank();
        boolean hasDescription = description != null && description.isValueNode() && !description.asText().isBlank();
        if (!hasError && !hasDescription) {
            return "";
        }
        return " (" + (hasError ? shown(error.asText()) : "no error code")
                + (hasDescription ? ": " + shown(description.asText()) : "") + ")";
    }

    /** A provider's text fit for a log line: one line, bounded, without the secret. */
    private String shown(String text) {
        String line = text.replaceAll("\\p{Cntrl}", " ").trim();
        if (!secret.isEmpty()) {
            line = line.replace(secret, "****").replace(URLEncoder.encode(secret, StandardCharsets.UTF_8), "****");
        }
        return line.length() <= MAX_SHOWN ? line : line.substring(0, MAX_SHOWN) + "…";
    }

    /**
     * {@code expires_in} in seconds, as a number or, as some providers send it, a string of digits; null when it
     * is missing, not a positive number, or implausibly long.
     */
    private static Duration lifetime(JsonNode expiresIn) {
        long seconds;
        if (expiresIn == null) {
            return null;
        } else if (expiresIn.isNumber() && expiresIn.canConvertToLong()) {
            seconds = expiresIn.longValue();
        } else if (expiresIn.isTextual() && expiresIn.asText().trim().matches("\\d{1,18}")) {
            seconds = Long.parseLong(expiresIn.asText().trim());
        } else {
            return null;
        }
        return seconds > 0 && seconds <= MAX_LIFETIME_SECONDS ? Duration.ofSeconds(seconds) : null;
    }
}

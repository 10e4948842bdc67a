package com.cleversync.sandbox.oneroster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test-side client of a running OneRoster sandbox: real requests over loopback, parsed with Jackson. */
final class RosterClient {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** A safety net only: a sandbox that hangs fails the test instead of stalling the build. */
    private static final Duration SAFETY_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern LINK = Pattern.compile("<([^>]*)>;\\s*rel=\"([^\"]*)\"");

    private final OneRosterSandbox sandbox;
    private String token;

    RosterClient(OneRosterSandbox sandbox) {
        this.sandbox = sandbox;
    }

    /** POSTs a form to the token endpoint, with this Authorization header (none when null). */
    HttpResponse<String> requestToken(String authorization, String form) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.tokenUrl())).timeout(SAFETY_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request);
    }

    static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** A token fetched with the sandbox's own credentials on first use, then kept. */
    String token() {
        if (token == null) {
            OneRosterSandbox.Settings settings = sandbox.settings();
            HttpResponse<String> response = requestToken(basic(settings.clientId(), settings.clientSecret()),
                    "grant_type=client_credentials");
            token = parse(expectOk(response)).get("access_token").asText();
        }
        return token;
    }

    /** GET a path under the API root (e.g. {@code /users?limit=5}) with a valid token. */
    HttpResponse<String> get(String path) {
        return getUrl(sandbox.apiUrl() + path, "Bearer " + token());
    }

    /** GET an absolute URL with this Authorization header (none when null). */
    HttpResponse<String> getUrl(String url, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(SAFETY_TIMEOUT).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request);
    }

    /** GET expecting 200 and JSON. */
    JsonNode json(String path) {
        return parse(expectOk(get(path)));
    }

    /** Every record of a list, following {@code rel="next"} from {@code path}. */
    List<JsonNode> all(String path, String listKey) {
        List<JsonNode> records = new ArrayList<>();
        String url = sandbox.apiUrl() + path;
        while (url != null) {
            HttpResponse<String> page = getUrl(url, "Bearer " + token());
            parse(expectOk(page)).get(listKey).forEach(records::add);
            url = links(page).get("next");
        }
        return records;
    }

    /** The Link header's URLs by rel, in header order. */
    static Map<String, String> links(HttpResponse<?> response) {
        Map<String, String> links = new LinkedHashMap<>();
        Matcher link = LINK.matcher(response.headers().firstValue("Link").orElse(""));
        while (link.find()) {
            links.put(link.group(2), link.group(1));
        }
        return links;
    }

    static long totalCount(HttpResponse<?> response) {
        return Long.parseLong(response.headers().firstValue("X-Total-Count").orElseThrow());
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String expectOk(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new AssertionError(response.request().method() + " " + response.uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

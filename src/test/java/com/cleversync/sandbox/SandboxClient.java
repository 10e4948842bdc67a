package com.cleversync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** Test-side HTTP client for a running sandbox: real requests over loopback, parsed with Jackson. */
final class SandboxClient {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final CleverSandbox sandbox;

    SandboxClient(CleverSandbox sandbox) {
        this.sandbox = sandbox;
    }

    /** GET a relative URI (e.g. a link from a response) with the sandbox's token. */
    HttpResponse<String> get(String relativeUri) {
        return get(relativeUri, "Bearer " + sandbox.token());
    }

    /** GET with the given Authorization header value, or none when null. */
    HttpResponse<String> get(String relativeUri, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + relativeUri)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET expecting 200 and a JSON body. */
    JsonNode json(String relativeUri) {
        HttpResponse<String> response = get(relativeUri);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + relativeUri + " answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    /** Follows "next" links from {@code firstUri} and returns every page. */
    List<JsonNode> pages(String firstUri) {
        List<JsonNode> pages = new ArrayList<>();
        String uri = firstUri;
        while (uri != null) {
            JsonNode page = json(uri);
            pages.add(page);
            uri = link(page, "next");
        }
        return pages;
    }

    /** The inner records of all pages, in order. */
    List<JsonNode> records(String firstUri) {
        List<JsonNode> records = new ArrayList<>();
        for (JsonNode page : pages(firstUri)) {
            page.get("data").forEach(item -> records.add(item.get("data")));
        }
        return records;
    }

    static String link(JsonNode page, String rel) {
        for (JsonNode link : page.get("links")) {
            if (link.get("rel").asText().equals(rel)) {
                return link.get("uri").asText();
            }
        }
        return null;
    }

    static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("data").forEach(item -> ids.add(item.get("data").get("id").asText()));
        return ids;
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

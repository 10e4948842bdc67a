package com.cleversync.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves the Clever data API for one district: bearer-token auth, then the per-token rate limit, then routing.
 * Requests with a wrong token are refused before the rate limit, so they neither spend nor report a budget.
 */
final class ApiHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    private static final String JSON_TYPE = "application/json; charset=utf-8";
    private static final Set<String> VERSIONS = Set.of("v3.0", "v3.1");
    private static final String USERS = "users";

    private final byte[] expectedAuthorization;
    private final RateLimitWindow window;
    private final ObjectMapper mapper;
    private final PageWriter pages;
    private final Map<String, RecordSource> collections;
    private final Map<String, RecordSource> usersByRole;
    private final RecordSource allUsers;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();

    ApiHandler(SandboxDistrict district, String token, RateLimitWindow window, ObjectMapper mapper) {
        this.expectedAuthorization = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.window = window;
        this.mapper = mapper;
        this.pages = new PageWriter(mapper);
        this.collections = Map.of(
                "districts", new SingleRecordSource(district.id(), district::districtRecord),
                "schools", district.table(SandboxResource.SCHOOLS),
                "sections", district.table(SandboxResource.SECTIONS),
                "terms", district.table(SandboxResource.TERMS),
                "courses", district.table(SandboxResource.COURSES));
        RecordSource students = district.table(SandboxResource.STUDENTS);
        RecordSource teachers = district.table(SandboxResource.TEACHERS);
        RecordSource staff = district.table(SandboxResource.STAFF);
        RecordSource nobody = new MergedSource(List.of());
        // district admins and contacts are valid Clever roles the sandbox simply has none of
        this.usersByRole = Map.of("student", students, "teacher", teachers, "staff", staff,
                "district_admin", nobody, "contact", nobody);
        this.allUsers = new MergedSource(List.of(students, teachers, staff));
    }

    long requestCount() {
        return requests.get();
    }

    long rateLimitedCount() {
        return rateLimited.get();
    }

    @Override
    public void handle(HttpExchange exchange) {
        requests.incrementAndGet();
        try {
            respond(exchange);
        } catch (IOException e) {
            log.debug("Clever sandbox client went away during {}: {}", exchange.getRequestURI().getRawPath(),
                    e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            // the exception type only: messages of failures deep in Jackson could quote record contents
            log.warn("Clever sandbox failed serving {}: {}", exchange.getRequestURI().getRawPath(),
                    e.getClass().getName());
            if (exchange.getResponseCode() == -1) {
                sendQuietly(exchange, 500, "internal sandbox error");
            }
        } finally {
            exchange.close();
        }
    }

    private void respond(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            sendError(exchange, 401, "invalid token");
            return;
        }
        RateLimitWindow.Decision decision = window.acquire(System.currentTimeMillis());
        exchange.getResponseHeaders().set("X-RateLimit-Limit", Integer.toString(decision.limit()));
        exchange.getResponseHeaders().set("X-RateLimit-Remaining", Integer.toString(decision.remaining()));
        exchange.getResponseHeaders().set("X-RateLimit-Reset", Long.toString(decision.resetEpochSeconds()));
        if (!decision.allowed()) {
            rateLimited.incrementAndGet();
            // Clever answers 429 with a plain-text body, which clients must not try to parse as JSON
            send(exchange, 429, "text/plain; charset=utf-8", "Too Many Requests".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try {
            route(exchange);
        } catch (ApiError e) {
            sendError(exchange, e.status(), e.getMessage());
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String[] path = decodedSegments(exchange.getRequestURI().getRawPath());
        if (path.length < 2 || path.length > 3 || !VERSIONS.contains(path[0])) {
            throw new ApiError(404, "not found");
        }
        if (!"GET".equals(exchange.getRequestMethod())) {
            throw new ApiError(405, "method not allowed");
        }
        String collection = "/" + path[0] + "/" + path[1];
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String role = path[1].equals(USERS) && path.length == 2 ? query.get("role") : null;
        RecordSource source = source(path[1], role);

        exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
        if (path.length == 3) {
            RecordEntry entry = source.find(path[2]);
            if (entry == null) {
                throw new ApiError(404, "resource not found");
            }
            exchange.sendResponseHeaders(200, 0);
            pages.writeRecord(exchange.getResponseBody(), entry, collection);
        } else {
            PageRequest page = PageRequest.of(query);
            String filter = role == null ? "" : "role=" + URLEncoder.encode(role, StandardCharsets.UTF_8);
            // length 0 = chunked: the page is written while it is generated
            exchange.sendResponseHeaders(200, 0);
            pages.writePage(exchange.getResponseBody(), source, page, collection, filter);
        }
    }

    private RecordSource source(String name, String role) {
        if (name.equals(USERS)) {
            if (role == null) {
                return allUsers;
            }
            RecordSource users = usersByRole.get(role);
            if (users == null) {
                throw new ApiError(400, "invalid role");
            }
            return users;
        }
        RecordSource source = collections.get(name);
        if (source == null) {
            throw new ApiError(404, "not found");
        }
        return source;
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header != null
                && MessageDigest.isEqual(header.trim().getBytes(StandardCharsets.UTF_8), expectedAuthorization);
    }

    /** Path segments after the leading slash, percent-decoded ("+" stays a plus in a path). */
    private static String[] decodedSegments(String rawPath) {
        String[] segments = rawPath.substring(rawPath.startsWith("/") ? 1 : 0).split("/");
        for (int i = 0; i < segments.length; i++) {
            segments[i] = decode(segments[i].replace("+", "%2B"));
        }
        return segments;
    }

    /** Query parameters; the first occurrence of a name wins, names without "=" get an empty value. */
    private static Map<String, String> query(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.putIfAbsent(name, value);
        }
        return parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "malformed URL encoding");
        }
    }

    private void sendError(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, JSON_TYPE, mapper.writeValueAsBytes(Map.of("error", message)));
    }

    private void sendQuietly(HttpExchange exchange, int status, String message) {
        try {
            sendError(exchange, status, message);
        } catch (IOException e) {
            log.debug("Clever sandbox could not report an error: {}", e.getClass().getSimpleName());
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}

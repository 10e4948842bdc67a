package com.cleversync.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Serves the Clever data API for one district: bearer-token auth, then the per-token rate limit, then routing.
 * Requests with a wrong token are refused before the rate limit, so they neither spend nor report a budget.
 * List requests with the right token then meet the {@link SandboxFaults} in force, before the rate limit: an injected
 * fault spends no budget (its headers report the window as it stands) and changes nothing.
 *
 * <p>{@code /events} pages the district's {@link EventLog} like any collection, with two differences Clever has
 * too: {@code ending_before=last} asks for the newest events, and a {@code starting_after} naming an event that
 * expired (or never existed) is refused with 404, since the client can no longer know what it missed (an
 * {@code ending_before} id is not checked, as for every list). Clever's {@code school} and {@code record_type}
 * filters of the events list are ignored: the sandbox serves the whole district's events to its one token, and
 * the links do not carry them on.
 */
final class ApiHandler extends SandboxHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    private static final String JSON_TYPE = "application/json; charset=utf-8";
    private static final Set<String> VERSIONS = Set.of("v3.0", "v3.1");
    private static final String USERS = "users";
    private static final String EVENTS = "events";
    /** The collections a list request (the only kind faults touch) can name. */
    private static final Set<String> LISTS =
            Set.of("schools", USERS, "sections", "terms", "courses", "districts", EVENTS);

    private volatile byte[] expectedAuthorization;
    private final RateLimitWindow window;
    private final ObjectMapper mapper;
    private final PageWriter pages;
    private final Map<String, RecordSource> collections;
    private final Map<String, RecordSource> usersByRole;
    private final RecordSource allUsers;
    private final AtomicLong requests;
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicReference<FaultPlan> faults = new AtomicReference<>(new FaultPlan(SandboxFaults.none()));
    private final AtomicLong faultsInjected = new AtomicLong();
    /** Changes to make once, before serving the first request each one waits for (tests: a district changing mid-sync). */
    private final List<PendingChange> pendingChanges = new CopyOnWriteArrayList<>();
    /** Parts of the API served beside the roster (v3.1 attendance), consulted before the roster's collections. */
    private final List<CleverEndpoint> endpoints = new CopyOnWriteArrayList<>();
    /** The district, whose version tells whether a page kept is still what it serves. */
    private final SandboxDistrict district;
    /** The bytes of each list page served, by request, while {@link #keepPages()} is on; null when off. */
    private volatile Map<String, KeptPage> keptPages;
    /** Released on shutdown, so slow responses stop waiting at once. */
    private final CountDownLatch shutdown = new CountDownLatch(1);

    ApiHandler(SandboxDistrict district, String token, RateLimitWindow window, ObjectMapper mapper) {
        this(district, token, window, mapper, new AtomicLong());
    }

    private ApiHandler(SandboxDistrict district, String token, RateLimitWindow window, ObjectMapper mapper,
                       AtomicLong requests) {
        super("Clever sandbox", requests);
        this.requests = requests;
        this.district = district;
        this.expectedAuthorization = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.window = window;
        this.mapper = mapper;
        this.pages = new PageWriter(mapper);
        this.collections = Map.of(
                "districts", new SingleRecordSource(district.id(), district::districtRecord),
                "schools", district.table(SandboxResource.SCHOOLS),
                "sections", district.table(SandboxResource.SECTIONS),
                "terms", district.table(SandboxResource.TERMS),
                "courses", district.table(SandboxResource.COURSES),
                EVENTS, district.events());
        RecordSource students = district.table(SandboxResource.STUDENTS);
        RecordSource teachers = district.table(SandboxResource.TEACHERS);
        RecordSource staff = district.table(SandboxResource.STAFF);
        RecordSource nobody = new MergedSource(List.of());
        // district admins and contacts are valid Clever roles the sandbox simply has none of
        this.usersByRole = Map.of("student", students, "teacher", teachers, "staff", staff,
                "district_admin", nobody, "contact", nobody);
        this.allUsers = new MergedSource(List.of(students, teachers, staff));
    }

    /** From now on only this token is accepted. */
    void token(String token) {
        this.expectedAuthorization = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    long requestCount() {
        return requests.get();
    }

    long rateLimitedCount() {
        return rateLimited.get();
    }

    /**
     * From now on keeps the bytes of every list page it serves and serves them again for the same request while
     * the district stays unchanged (a change or an expiry renders afresh). The answers are the same bytes; only
     * the sandbox's own work goes: a benchmark renders its district's pages before its clock starts, so what it
     * measures on a shared machine is the client, as Clever's serving happens on Clever's machines. Holds every
     * page asked for, so it is for a benchmark's sandbox in a JVM of its own, not for the demo.
     */
    void keepPages() {
        keptPages = new ConcurrentHashMap<>();
    }

    /** A list page's bytes and the district's version they were rendered at. */
    private record KeptPage(long version, byte[] bytes) {}

    /** Replaces the faults in force; the new plan counts list requests from 1 again. */
    void faults(SandboxFaults replacement) {
        faults.set(new FaultPlan(replacement));
    }

    long faultsInjected() {
        return faultsInjected.get();
    }

    /** Serves {@code endpoint}'s paths from the next request on, behind the same token, rate limit and faults. */
    void serve(CleverEndpoint endpoint) {
        endpoints.add(endpoint);
    }

    /** The endpoint serving this path, or null for the roster's own paths. */
    private CleverEndpoint endpoint(String[] path) {
        List<String> segments = List.of(path);
        for (CleverEndpoint endpoint : endpoints) {
            if (endpoint.serves(segments)) {
                return endpoint;
            }
        }
        return null;
    }

    /** Makes {@code change} once, before the first request whose path and query {@code request} accepts is served. */
    void beforeServing(Predicate<String> request, Runnable change) {
        pendingChanges.add(new PendingChange(request, change));
    }

    private void makePendingChanges(HttpExchange exchange) {
        String request = exchange.getRequestURI().toString();
        for (PendingChange pending : pendingChanges) {
            if (pending.request().test(request) && pendingChanges.remove(pending)) {
                pending.change().run();
            }
        }
    }

    private record PendingChange(Predicate<String> request, Runnable change) {}

    /** Wakes every slow response still waiting; they end without an answer. */
    void shutdown() {
        shutdown.countDown();
    }

    @Override
    protected void respond(HttpExchange exchange) throws IOException {
        makePendingChanges(exchange);
        serve(exchange);
    }

    @Override
    protected void internalError(HttpExchange exchange) throws IOException {
        sendError(exchange, 500, "internal sandbox error");
    }

    private void serve(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            sendError(exchange, 401, "invalid token");
            return;
        }
        if (isList(exchange)) {
            FaultPlan.Fault fault = faults.get().next();
            if (fault.injected() && injectFault(exchange, fault)) {
                return;
            }
        }
        RateLimitWindow.Decision decision = window.acquire(System.currentTimeMillis());
        rateLimitHeaders(exchange, decision);
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
        Body body = body(exchange);
        exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
        // length 0 = chunked: the body is written while it is generated
        exchange.sendResponseHeaders(200, 0);
        body.writeTo(exchange.getResponseBody());
    }

    /** The 200 answer to a GET, resolved and validated but not yet written; refusals are thrown as {@link ApiError}. */
    private Body body(HttpExchange exchange) {
        String[] path = decodedSegments(exchange.getRequestURI().getRawPath());
        CleverEndpoint endpoint = endpoint(path);
        if (endpoint != null) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                throw new ApiError(405, "method not allowed");
            }
            CleverEndpoint.Body answer = endpoint.answer(List.of(path), query(exchange.getRequestURI().getRawQuery()));
            return answer::writeTo;
        }
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

        if (path.length == 3) {
            RecordEntry entry = source.find(path[2]);
            if (entry == null) {
                throw new ApiError(404, "resource not found");
            }
            return out -> pages.writeRecord(out, entry, collection);
        }
        PageRequest page = PageRequest.of(query);
        // "ending_before=last" needs nothing here: event ids start with a digit, so "last" sorts after all of them
        if (path[1].equals(EVENTS) && page.startingAfter() != null && source.find(page.startingAfter()) == null) {
            throw new ApiError(404, "starting_after names an unknown or expired event");
        }
        String filter = role == null ? "" : "role=" + URLEncoder.encode(role, StandardCharsets.UTF_8);
        Body rendered = out -> pages.writePage(out, source, page, collection, filter);
        Map<String, KeptPage> kept = keptPages;
        return kept == null ? rendered : kept(kept, exchange.getRequestURI().toString(), rendered);
    }

    /** The page kept for this request if the district is as it was then; else rendered now and kept. */
    private Body kept(Map<String, KeptPage> kept, String request, Body rendered) {
        return out -> {
            long version = district.version(); // before rendering: a change meanwhile renders the next one afresh
            KeptPage page = kept.get(request);
            if (page == null || page.version() != version) {
                page = new KeptPage(version, render(rendered));
                kept.put(request, page);
            }
            out.write(page.bytes());
        };
    }

    /** A GET of a collection (not of one record), the only requests faults are injected into. */
    private boolean isList(HttpExchange exchange) {
        if (!"GET".equals(exchange.getRequestMethod())) {
            return false;
        }
        String[] path;
        try {
            path = decodedSegments(exchange.getRequestURI().getRawPath());
        } catch (ApiError e) {
            return false;
        }
        return (path.length == 2 && VERSIONS.contains(path[0]) && LISTS.contains(path[1])) || endpoint(path) != null;
    }

    /**
     * Answers with the fault, or returns false when it does not apply (a dropped or truncated page of a request
     * that has no page, such as one with an invalid limit) and the request is to be served normally.
     */
    private boolean injectFault(HttpExchange exchange, FaultPlan.Fault fault) throws IOException {
        switch (fault.kind()) {
            case UNAUTHORIZED -> {
                injected(fault);
                // as for a wrong token: no rate-limit headers, the request never reached the budget
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                sendError(exchange, 401, "invalid token");
            }
            case RATE_LIMITED -> {
                injected(fault);
                rateLimited.incrementAndGet();
                long now = System.currentTimeMillis();
                long waitMillis = saturatedMillis(fault.delay());
                exchange.getResponseHeaders().set("X-RateLimit-Limit", Integer.toString(window.peek(now).limit()));
                exchange.getResponseHeaders().set("X-RateLimit-Remaining", "0");
                long resetMillis = now > Long.MAX_VALUE - waitMillis ? Long.MAX_VALUE : now + waitMillis;
                exchange.getResponseHeaders().set("X-RateLimit-Reset", Long.toString(ceilSeconds(resetMillis)));
                exchange.getResponseHeaders().set("Retry-After", Long.toString(ceilSeconds(waitMillis)));
                send(exchange, 429, "text/plain; charset=utf-8", "Too Many Requests".getBytes(StandardCharsets.UTF_8));
            }
            case SERVER_ERROR -> {
                injected(fault);
                rateLimitHeaders(exchange, window.peek(System.currentTimeMillis()));
                sendError(exchange, fault.status(), switch (fault.status()) {
                    case 502 -> "bad gateway";
                    case 503 -> "service unavailable";
                    default -> "internal server error";
                });
            }
            case SLOW -> {
                injected(fault);
                if (!waitOut(fault.delay())) {
                    // shut down meanwhile: end without an answer, the server is closing the connection anyway
                    return true;
                }
                return false;
            }
            case DROP, TRUNCATE -> {
                byte[] page;
                try {
                    page = render(body(exchange));
                } catch (ApiError e) {
                    return false;
                }
                int cut = PageCut.insideRecords(mapper.getFactory(), page, fault.cut());
                injected(fault);
                rateLimitHeaders(exchange, window.peek(System.currentTimeMillis()));
                if (fault.kind() == FaultPlan.Kind.TRUNCATE) {
                    send(exchange, 200, JSON_TYPE, Arrays.copyOf(page, cut));
                } else {
                    exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
                    exchange.sendResponseHeaders(200, page.length);
                    OutputStream out = exchange.getResponseBody();
                    out.write(page, 0, cut);
                    out.flush();
                    // deliberately not closed here: handle() closes the exchange, which finds the body short of
                    // its Content-Length and closes the connection instead of finishing the response
                }
            }
            case RESET -> {
                injected(fault);
                // nothing is sent: handle() closes the exchange, which without a response closes the connection
            }
            case NONE -> {
                return false;
            }
        }
        return true;
    }

    /** One DEBUG line per fault: its kind and the request's sequence number, nothing of the request itself. */
    private void injected(FaultPlan.Fault fault) {
        faultsInjected.incrementAndGet();
        log.debug("Clever sandbox injected {} into list request {}", fault.kind(), fault.sequence());
    }

    /** Waits out a slow response's delay; false if the sandbox shut down (or the thread was interrupted) first. */
    private boolean waitOut(Duration delay) {
        try {
            return !shutdown.await(saturatedMillis(delay), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static byte[] render(Body body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.writeTo(out);
        return out.toByteArray();
    }

    private static void rateLimitHeaders(HttpExchange exchange, RateLimitWindow.Decision decision) {
        exchange.getResponseHeaders().set("X-RateLimit-Limit", Integer.toString(decision.limit()));
        exchange.getResponseHeaders().set("X-RateLimit-Remaining", Integer.toString(decision.remaining()));
        exchange.getResponseHeaders().set("X-RateLimit-Reset", Long.toString(decision.resetEpochSeconds()));
    }

    private static long ceilSeconds(long millis) {
        return Math.floorDiv(Math.min(millis, Long.MAX_VALUE - 999) + 999, 1000);
    }

    /** Whole milliseconds, rounded up; absurdly long durations become the longest representable. */
    private static long saturatedMillis(Duration duration) {
        try {
            long millis = duration.toMillis();
            return duration.equals(Duration.ofMillis(millis)) ? millis : Math.addExact(millis, 1);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
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

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** A response body not yet written. */
    @FunctionalInterface
    private interface Body {
        void writeTo(OutputStream out) throws IOException;
    }
}

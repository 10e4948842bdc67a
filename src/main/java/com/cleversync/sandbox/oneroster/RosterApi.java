package com.cleversync.sandbox.oneroster;

import com.cleversync.sandbox.FaultPlan;
import com.cleversync.sandbox.PageCut;
import com.cleversync.sandbox.RateLimitWindow;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxFaults;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.cleversync.sandbox.SandboxHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Serves the OneRoster rostering collections: {@code GET {prefix}{version root}/<collection>} and
 * {@code …/<collection>/<sourcedId>}. In the Clever sandbox's order: the bearer token first (a refused request
 * spends nothing), then the {@link SandboxFaults} in force for list requests (an injected fault spends no
 * budget), then the client's rate limit, then the answer. Refusals carry OneRoster status payloads.
 *
 * <p>Query parameters other than {@code limit}, {@code offset} and {@code filter} ({@code sort}, {@code fields}, …)
 * are accepted and ignored, as the spec lets a provider, and carried on in the {@code Link} URLs.
 */
final class RosterApi extends SandboxHandler {

    private static final Logger log = LoggerFactory.getLogger(RosterApi.class);
    private static final String JSON_TYPE = "application/json; charset=utf-8";

    private final SandboxDistrict district;
    private final OneRosterSandbox.Settings settings;
    private final String baseUrl;
    private final String root;
    private final RosterMapping mapping;
    private final AccessTokens tokens;
    private final RateLimitWindow window;
    private final ObjectMapper mapper;
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicReference<FaultPlan> faults = new AtomicReference<>(new FaultPlan(SandboxFaults.none()));
    private final AtomicLong faultsInjected = new AtomicLong();
    /** The district's records as served while it does not change; see {@link #snapshot()}. */
    private final AtomicReference<RosterSnapshot> snapshot = new AtomicReference<>();
    /** Released on shutdown, so slow responses stop waiting at once. */
    private final CountDownLatch shutdown = new CountDownLatch(1);

    RosterApi(SandboxDistrict district, OneRosterSandbox.Settings settings, String baseUrl, AccessTokens tokens,
              RateLimitWindow window, ObjectMapper mapper, AtomicLong requests) {
        super("OneRoster sandbox", requests);
        this.district = district;
        this.settings = settings;
        this.baseUrl = baseUrl;
        this.root = settings.apiRoot();
        this.mapping = new RosterMapping(baseUrl + root, settings.isVersion12());
        this.tokens = tokens;
        this.window = window;
        this.mapper = mapper;
    }

    long rateLimitedCount() {
        return rateLimited.get();
    }

    void faults(SandboxFaults replacement) {
        faults.set(new FaultPlan(replacement));
    }

    long faultsInjected() {
        return faultsInjected.get();
    }

    void shutdown() {
        shutdown.countDown();
    }

    @Override
    protected void internalError(HttpExchange exchange) throws IOException {
        send(exchange, new RosterError(500, "internal_server_error", "internal sandbox error"));
    }

    @Override
    protected void respond(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            send(exchange, new RosterError(401, "unauthorisedrequest", "missing, unknown or expired access token"));
            return;
        }
        Target target = target(exchange);
        if (target != null && target.id() == null && "GET".equals(exchange.getRequestMethod())) {
            FaultPlan.Fault fault = faults.get().next();
            if (fault.injected() && injectFault(exchange, fault, target)) {
                return;
            }
        }
        long now = district.now().toEpochMilli();
        RateLimitWindow.Decision decision = window.acquire(now);
        if (!decision.allowed()) {
            rateLimited.incrementAndGet();
            exchange.getResponseHeaders().set("Retry-After",
                    Long.toString(ceilSeconds(decision.resetEpochSeconds() * 1000 - now)));
            send(exchange, new RosterError(429, "server_busy", "too many requests; retry after the minute"));
            return;
        }
        try {
            if (target == null) {
                throw new RosterError(404, "unknown_object", "no such OneRoster " + settings.version() + " path");
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                throw new RosterError(405, "invalid_data", "the rostering API is read-only");
            }
            Answer answer = answer(target);
            answer.headers().forEach(exchange.getResponseHeaders()::set);
            send(exchange, 200, answer.body());
        } catch (RosterError e) {
            send(exchange, e);
        }
    }

    /**
     * The district as it is now: the snapshot kept from earlier requests while the district's change count has
     * not moved, otherwise a new one (two requests racing to replace it may both make one; either will do).
     */
    private RosterSnapshot snapshot() {
        RosterSnapshot kept = snapshot.get();
        if (kept != null && kept.changeCount() == district.changeCount()) {
            return kept;
        }
        RosterSnapshot fresh = new RosterSnapshot(district, mapping);
        snapshot.set(fresh);
        return fresh;
    }

    /**
     * The 200 answer, rendered but not sent; refusals are thrown. A record deleted while the page is made is
     * no longer there to render: the page is then made again from a new snapshot.
     */
    private Answer answer(Target target) throws IOException {
        while (true) {
            try {
                return answer(target, snapshot());
            } catch (RosterSnapshot.Changed e) {
                Thread.onSpinWait(); // the change's count may lag its record by a moment
            }
        }
    }

    private Answer answer(Target target, RosterSnapshot snapshot) throws IOException {
        if (target.id() != null) {
            RosterRecord record = snapshot.record(target.collection(), target.id());
            if (record == null) {
                throw new RosterError(404, "unknown_object", "no such " + target.collection().recordKey());
            }
            return new Answer(render(json -> json.writeObjectField(target.collection().recordKey(), record.toJson())),
                    Map.of());
        }
        Query query = target.query();
        OffsetPage page = OffsetPage.of(query.value("limit"), query.value("offset"), settings.maxPageSize());
        List<RosterRecord> records = snapshot.records(target.collection());
        String filter = query.value("filter");
        if (filter != null && !filter.isEmpty()) {
            if (!settings.deltaSupported()) {
                throw new RosterError(400, "invalid_filter_field", "this provider does not support filter");
            }
            Predicate<RosterRecord> kept = DeltaFilter.parse(filter);
            records = records.stream().filter(kept).toList();
        }
        List<RosterRecord> shown = records.subList(page.from(records.size()), page.to(records.size()));
        byte[] body = render(json -> {
            json.writeArrayFieldStart(target.collection().listKey());
            for (RosterRecord record : shown) {
                json.writeTree(record.toJson());
            }
            json.writeEndArray();
        });
        return new Answer(body, Map.of("X-Total-Count", Integer.toString(records.size()),
                "Link", page.links(baseUrl + target.rawPath(), query.kept(), records.size())));
    }

    /**
     * Answers with the fault, or returns false when it does not apply (a dropped or truncated page of a request
     * that has no page, such as one with an invalid limit) and the request is to be served normally.
     */
    private boolean injectFault(HttpExchange exchange, FaultPlan.Fault fault, Target target) throws IOException {
        switch (fault.kind()) {
            case UNAUTHORIZED -> {
                injected(fault);
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                send(exchange, new RosterError(401, "unauthorisedrequest", "missing, unknown or expired access token"));
            }
            case RATE_LIMITED -> {
                injected(fault);
                rateLimited.incrementAndGet();
                exchange.getResponseHeaders().set("Retry-After", Long.toString(ceilSeconds(fault.delay().toMillis())));
                send(exchange, new RosterError(429, "server_busy", "too many requests"));
            }
            case SERVER_ERROR -> {
                injected(fault);
                send(exchange, fault.status() == 500
                        ? new RosterError(500, "internal_server_error", "internal server error")
                        : new RosterError(fault.status(), "server_busy", "service unavailable"));
            }
            case SLOW -> {
                injected(fault);
                // shut down meanwhile: end without an answer, the server is closing the connection anyway
                return !waitOut(fault.delay());
            }
            case DROP, TRUNCATE -> {
                Answer answer;
                try {
                    answer = answer(target);
                } catch (RosterError e) {
                    return false;
                }
                byte[] page = answer.body();
                int cut = PageCut.insideRecords(mapper.getFactory(), page, fault.cut());
                injected(fault);
                answer.headers().forEach(exchange.getResponseHeaders()::set);
                if (fault.kind() == FaultPlan.Kind.TRUNCATE) {
                    send(exchange, 200, Arrays.copyOf(page, cut));
                } else {
                    exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
                    exchange.sendResponseHeaders(200, page.length);
                    OutputStream out = exchange.getResponseBody();
                    out.write(page, 0, cut);
                    out.flush();
                    // not closed here: handle() closes the exchange short of its Content-Length, cutting the connection
                }
            }
            case RESET -> injected(fault);
            case NONE -> {
                return false;
            }
        }
        return true;
    }

    /** One DEBUG line per fault: its kind and sequence number, nothing of the request. */
    private void injected(FaultPlan.Fault fault) {
        faultsInjected.incrementAndGet();
        log.debug("OneRoster sandbox injected {} into list request {}", fault.kind(), fault.sequence());
    }

    private boolean waitOut(Duration delay) {
        try {
            return !shutdown.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                && tokens.valid(header.substring(7).trim());
    }

    /** The collection (and record) a path names under this version's root, or null for any other path. */
    private Target target(HttpExchange exchange) {
        String rawPath = exchange.getRequestURI().getRawPath();
        if (!rawPath.startsWith(root + "/")) {
            return null;
        }
        String[] segments = rawPath.substring(root.length() + 1).split("/", -1);
        RosterCollection collection = RosterCollection.at(segments[0]);
        if (collection == null || segments.length > 2 || (segments.length == 2 && segments[1].isEmpty())) {
            return null;
        }
        String id;
        try {
            id = segments.length == 2 ? decode(segments[1].replace("+", "%2B")) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
        return new Target(collection, id, rawPath, Query.of(exchange.getRequestURI().getRawQuery()));
    }

    private interface Rendering {
        void write(JsonGenerator json) throws IOException;
    }

    /** One JSON object whose fields {@code fields} writes: the whole answer, rendered before anything is sent. */
    private byte[] render(Rendering fields) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = mapper.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    /**
     * The status payload, flat as the 1.1 binding's {@code imsx_StatusInfo}: code major and severity, the code
     * minor a client can act on, and a description it can show.
     */
    private void send(HttpExchange exchange, RosterError error) throws IOException {
        ObjectNode status = mapper.createObjectNode();
        status.put("imsx_codeMajor", "failure");
        status.put("imsx_severity", "error");
        status.put("imsx_description", error.getMessage());
        ObjectNode field = status.putObject("imsx_CodeMinor").putArray("imsx_codeMinorField").addObject();
        field.put("imsx_codeMinorFieldName", "TargetEndSystem");
        field.put("imsx_codeMinorFieldValue", error.codeMinor());
        send(exchange, error.status(), mapper.writeValueAsBytes(status));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static long ceilSeconds(long millis) {
        return Math.floorDiv(millis + 999, 1000);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private record Answer(byte[] body, Map<String, String> headers) {}

    private record Target(RosterCollection collection, String id, String rawPath, Query query) {}

    /**
     * The query: decoded values by name (the first occurrence wins), and the raw parameters other than
     * {@code limit} and {@code offset}, in their order, for the links to carry on.
     */
    private record Query(Map<String, String> values, String kept) {

        static Query of(String rawQuery) {
            Map<String, String> values = new HashMap<>();
            List<String> kept = new ArrayList<>();
            if (rawQuery != null && !rawQuery.isEmpty()) {
                for (String pair : rawQuery.split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int equals = pair.indexOf('=');
                    String name = decodeOrRaw(equals < 0 ? pair : pair.substring(0, equals));
                    values.putIfAbsent(name, equals < 0 ? "" : decodeOrRaw(pair.substring(equals + 1)));
                    if (!name.equals("limit") && !name.equals("offset")) {
                        kept.add(pair);
                    }
                }
            }
            return new Query(values, String.join("&", kept));
        }

        String value(String name) {
            return values.get(name);
        }

        /** Malformed escapes are kept as they are: the value then fails its own check (a limit, a filter) with 400. */
        private static String decodeOrRaw(String text) {
            try {
                return decode(text);
            } catch (IllegalArgumentException e) {
                return text;
            }
        }
    }
}

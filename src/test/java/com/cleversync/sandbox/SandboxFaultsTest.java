package com.cleversync.sandbox;

import static com.cleversync.sandbox.SandboxClient.MAPPER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Fault injection over real loopback HTTP. Every expectation is exact: faults are a pure function of seed and
 * request number, so nothing here depends on timing except the two bounds around slow responses.
 */
class SandboxFaultsTest {

    private static final String TOKEN = "sandbox-faults-token";
    private static final int UNLIMITED = 1_000_000;
    /** 40 students: pages of 7 make six full pages and a short one. */
    private static final SandboxSize SMALL = new SandboxSize(3, 40, 6, 2, 9, 5, 2, 4, 7L);
    private static final String STUDENTS_7 = "/v3.0/users?role=student&limit=7";
    /** One URL per kind of list request, v3.1 included. */
    private static final List<String> LIST_URIS = List.of("/v3.0/schools", STUDENTS_7, "/v3.0/users?limit=5",
            "/v3.0/sections?limit=4", "/v3.0/terms", "/v3.0/courses", "/v3.0/districts", "/v3.1/users?role=teacher");
    /** A safety net only: a fault that hangs instead of failing fails the test instead of stalling the build. */
    private static final Duration SAFETY_TIMEOUT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Threads for clients that run side by side; daemons, so nothing needs shutting down. */
    private static final Executor LANES = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "sandbox-faults-test-client");
        thread.setDaemon(true);
        return thread;
    });
    private static final byte[] LINKS = "],\"links\":[".getBytes(StandardCharsets.UTF_8);

    /** Every kind that can be told apart from the outside, each often enough to show up in 60 requests. */
    private static final SandboxFaults MIXED = SandboxFaults.none()
            .withSeed(2024L)
            .withServerErrors(0.15)
            .withRateLimitBursts(9, 2, Duration.ofSeconds(5))
            .withDroppedConnections(0.1)
            .withTruncatedBodies(0.1);

    private final SandboxDistrict district = new SandboxDistrict(SMALL);

    @Test
    void withoutFaultsEverythingIsServedAsBefore() throws Exception {
        try (CleverSandbox untouched = start(); CleverSandbox reset = start()) {
            reset.faults(SandboxFaults.none().withServerErrors(1.0));
            reset.faults(SandboxFaults.none());

            List<String> uris = new ArrayList<>(LIST_URIS);
            uris.add("/v3.0/users/" + firstStudentId());
            uris.add("/v3.0/users?role=student&limit=0");
            for (String uri : uris) {
                HttpResponse<byte[]> expected = get(untouched, uri);
                HttpResponse<byte[]> actual = get(reset, uri);
                assertThat(actual.statusCode()).as(uri).isEqualTo(expected.statusCode());
                assertThat(actual.body()).as(uri).isEqualTo(expected.body());
            }
            assertThat(new SandboxClient(reset).records(STUDENTS_7))
                    .containsExactlyElementsOf(district.records(SandboxResource.STUDENTS).toList());
            assertThat(reset.faultsInjected()).isZero();
            assertThat(untouched.faultsInjected()).isZero();
            assertThat(reset.rateLimitedCount()).isZero();
        }
    }

    @Test
    void theSameSeedGivesTheSameFaultSequenceAndAnotherSeedAnother() throws Exception {
        try (CleverSandbox first = start(); CleverSandbox second = start(); CleverSandbox third = start()) {
            first.faults(MIXED);
            second.faults(MIXED);
            third.faults(MIXED.withSeed(2025L));
            // each sandbox is asked in order; only separate sandboxes run side by side (the loopback is slow)
            CompletableFuture<List<String>> inSecond = CompletableFuture.supplyAsync(() -> outcomes(second, 60), LANES);
            CompletableFuture<List<String>> inThird = CompletableFuture.supplyAsync(() -> outcomes(third, 60), LANES);
            List<String> run = outcomes(first, 60);
            first.faults(MIXED);
            List<String> rerun = outcomes(first, 60);
            List<String> otherSandbox = inSecond.join();
            List<String> otherSeed = inThird.join();

            assertThat(rerun).isEqualTo(run);
            assertThat(otherSandbox).isEqualTo(run);
            assertThat(otherSeed).isNotEqualTo(run);
            assertThat(run).isEqualTo(predicted(MIXED, 60));
            assertThat(otherSeed).isEqualTo(predicted(MIXED.withSeed(2025L), 60));
            // the scenario really mixes every kind, or the comparison would prove little
            assertThat(new HashSet<>(run)).contains("200", "429", "dropped", "truncated").containsAnyOf("500", "503");
            long faulty = run.stream().filter(outcome -> !outcome.equals("200")).count();
            assertThat(first.faultsInjected()).isEqualTo(2 * faulty);
            assertThat(first.rateLimitedCount()).isEqualTo(2 * run.stream().filter("429"::equals).count());
        }
    }

    @Test
    void serverErrorShareOneFailsEveryListRequestWithAJsonError() throws Exception {
        try (CleverSandbox sandbox = start()) {
            sandbox.faults(SandboxFaults.none().withSeed(3L).withServerErrors(1.0));

            Set<Integer> statuses = new HashSet<>();
            for (int i = 0; i < 24; i++) {
                HttpResponse<byte[]> response = get(sandbox, LIST_URIS.get(i % LIST_URIS.size()));
                assertThat(response.statusCode()).isIn(500, 503);
                assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
                assertThat(MAPPER.readTree(response.body()).get("error").asText()).isNotBlank();
                assertThat(response.headers().firstValue("X-RateLimit-Remaining")).isPresent();
                statuses.add(response.statusCode());
            }
            assertThat(statuses).containsExactlyInAnyOrder(500, 503);
            assertThat(sandbox.faultsInjected()).isEqualTo(24);

            // single records, unknown paths and wrong tokens are left alone and take no sequence number
            assertThat(get(sandbox, "/v3.0/users/" + firstStudentId()).statusCode()).isEqualTo(200);
            assertThat(get(sandbox, "/v3.0/teachers").statusCode()).isEqualTo(404);
            assertThat(get(sandbox, "/v3.0/schools", "Bearer wrong").statusCode()).isEqualTo(401);
            assertThat(sandbox.faultsInjected()).isEqualTo(24);
        }
    }

    @Test
    void serverErrorShareOfAThirdFailsAStableThirdOfRequests() throws Exception {
        SandboxFaults third = SandboxFaults.none().withSeed(99L).withServerErrors(0.3);
        try (CleverSandbox sandbox = start()) {
            sandbox.faults(third);
            Map<Integer, Long> run = statusCounts(sandbox, "/v3.0/schools", 200);
            sandbox.faults(third);
            Map<Integer, Long> rerun = statusCounts(sandbox, "/v3.0/schools", 200);

            long failed = 200 - run.getOrDefault(200, 0L);
            assertThat(rerun).isEqualTo(run);
            assertThat(run.keySet()).containsExactlyInAnyOrder(200, 500, 503);
            assertThat(failed).isBetween(40L, 80L);
            assertThat(failed).isEqualTo(predicted(third, 200).stream().filter(outcome -> !outcome.equals("200")).count());
            assertThat(sandbox.faultsInjected()).isEqualTo(2 * failed);
        }
    }

    @Test
    void everyNthRequestStartsABurstOf429sAfterWhichTheSamePageIsServed() throws Exception {
        try (CleverSandbox sandbox = start(); CleverSandbox faultless = start()) {
            String uri = STUDENTS_7 + "&starting_after=" + firstStudentId();
            byte[] correct = get(faultless, uri).body();
            sandbox.faults(SandboxFaults.none().withRateLimitBursts(5, 3, Duration.ofSeconds(30)));

            long before = System.currentTimeMillis();
            List<HttpResponse<byte[]>> responses = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                responses.add(get(sandbox, uri));
            }
            long after = System.currentTimeMillis();

            assertThat(responses).extracting(HttpResponse::statusCode)
                    .containsExactly(200, 200, 200, 200, 429, 429, 429, 200, 200, 429, 429, 429, 200, 200, 429, 429);
            for (HttpResponse<byte[]> response : responses) {
                if (response.statusCode() == 200) {
                    assertThat(response.body()).isEqualTo(correct);
                    continue;
                }
                assertThat(response.headers().firstValue("X-RateLimit-Limit")).hasValue(String.valueOf(UNLIMITED));
                assertThat(response.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
                assertThat(response.headers().firstValue("Retry-After")).hasValue("30");
                long reset = Long.parseLong(response.headers().firstValue("X-RateLimit-Reset").orElseThrow());
                assertThat(reset).isBetween(ceilSeconds(before + 30_000), ceilSeconds(after + 30_000));
                assertThat(reset).isGreaterThanOrEqualTo(before / 1000);
                assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
                assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("Too Many Requests");
                assertThatThrownBy(() -> MAPPER.readTree(response.body())).isInstanceOf(JsonProcessingException.class);
            }
            assertThat(sandbox.rateLimitedCount()).isEqualTo(8);
            assertThat(sandbox.faultsInjected()).isEqualTo(8);
        }
    }

    @Test
    void injectedFaultsSpendNothingOfTheRealRateLimit() throws Exception {
        try (CleverSandbox limited = CleverSandbox.start(district, TOKEN, 0, 5)) {
            limited.faults(SandboxFaults.none().withServerErrors(1.0));
            for (int i = 0; i < 8; i++) {
                HttpResponse<byte[]> failed = get(limited, "/v3.0/schools");
                assertThat(failed.statusCode()).isIn(500, 503);
                assertThat(failed.headers().firstValue("X-RateLimit-Remaining")).hasValue("5");
            }
            limited.faults(SandboxFaults.none());

            HttpResponse<byte[]> served = get(limited, "/v3.0/schools");
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.headers().firstValue("X-RateLimit-Remaining")).hasValue("4");
            assertThat(limited.rateLimitedCount()).isZero();
        }
    }

    @Test
    void aSlowResponseSendsNothingUntilItsDelayHasPassedThenTheCorrectPage() throws Exception {
        Duration delay = Duration.ofMillis(300);
        try (CleverSandbox sandbox = start(); CleverSandbox faultless = start()) {
            byte[] correct = get(faultless, STUDENTS_7).body();
            sandbox.faults(SandboxFaults.none().withSlowResponses(1.0, delay));

            long started = System.nanoTime();
            HttpResponse<byte[]> response = get(sandbox, STUDENTS_7);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(took).isGreaterThanOrEqualTo(delay);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(correct);
            assertThat(sandbox.faultsInjected()).isEqualTo(1);
        }
    }

    @Test
    void aClientGivesUpOnASlowResponseAndCloseDoesNotWaitForIt() throws Exception {
        CleverSandbox sandbox = start();
        try {
            sandbox.faults(SandboxFaults.none().withSlowResponses(1.0, Duration.ofSeconds(30)));
            HttpRequest impatient = request(sandbox, STUDENTS_7, "Bearer " + TOKEN).timeout(Duration.ofMillis(500)).build();

            assertThatThrownBy(() -> HTTP.send(impatient, HttpResponse.BodyHandlers.ofByteArray()))
                    .isInstanceOf(HttpTimeoutException.class);
            // the request reached its fault: the server thread is now waiting out the 30 seconds
            assertThat(sandbox.faultsInjected()).isEqualTo(1);
        } finally {
            long started = System.nanoTime();
            sandbox.close();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void aDroppedConnectionFailsJavasHttpClientWhileReadingTheBody() {
        try (CleverSandbox sandbox = start()) {
            sandbox.faults(SandboxFaults.none().withDroppedConnections(1.0));

            for (String uri : LIST_URIS) {
                assertThatThrownBy(() -> get(sandbox, uri)).as(uri)
                        .isInstanceOf(IOException.class)
                        .isNotInstanceOf(HttpTimeoutException.class);
            }
            assertThat(sandbox.faultsInjected()).isEqualTo(LIST_URIS.size());
        }
    }

    @Test
    void aDroppedConnectionFailsApacheHttpClientReadingTheEntity() throws Exception {
        RequestConfig config = RequestConfig.custom().setResponseTimeout(Timeout.of(SAFETY_TIMEOUT)).build();
        try (CleverSandbox sandbox = start();
             CloseableHttpClient apache = HttpClients.custom().setDefaultRequestConfig(config).build()) {
            sandbox.faults(SandboxFaults.none().withDroppedConnections(1.0));
            HttpGet get = new HttpGet(sandbox.baseUrl() + STUDENTS_7);
            get.setHeader("Authorization", "Bearer " + TOKEN);

            List<Integer> statuses = new ArrayList<>();
            List<Long> contentLengths = new ArrayList<>();

            // the way the service reads a page: a response handler consuming the whole entity
            assertThatThrownBy(() -> apache.execute(get, response -> {
                statuses.add(response.getCode());
                contentLengths.add(response.getEntity().getContentLength());
                return EntityUtils.toByteArray(response.getEntity());
            })).isInstanceOf(ConnectionClosedException.class)
                    .hasMessageContaining("Premature end of Content-Length delimited message body");
            assertThat(statuses).containsExactly(200);
            assertThat(contentLengths).singleElement().satisfies(length -> assertThat(length).isPositive());
        }
    }

    @Test
    void aDroppedConnectionPromisesTheWholePageButSendsOnlyPartOfItsDataArray() throws Exception {
        try (CleverSandbox sandbox = start(); CleverSandbox faultless = start()) {
            byte[] correct = get(faultless, STUDENTS_7).body();
            sandbox.faults(SandboxFaults.none().withDroppedConnections(1.0));

            RawResponse raw = rawGet(sandbox, STUDENTS_7);

            assertThat(raw.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(raw.header("content-length")).isEqualTo(String.valueOf(correct.length));
            assertCutInsideData(raw.body(), correct);
        }
    }

    @Test
    void aTruncatedBodyIsACompleteResponseWithAPrefixOfThePageThatNoParserAccepts() throws Exception {
        try (CleverSandbox sandbox = start(); CleverSandbox faultless = start()) {
            byte[] correct = get(faultless, STUDENTS_7).body();
            sandbox.faults(SandboxFaults.none().withTruncatedBodies(1.0));

            Set<Integer> cuts = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                HttpResponse<byte[]> response = get(sandbox, STUDENTS_7);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Length")).hasValue(String.valueOf(response.body().length));
                assertCutInsideData(response.body(), correct);
                assertThatThrownBy(() -> MAPPER.readTree(response.body())).isInstanceOf(JsonProcessingException.class);
                cuts.add(response.body().length);
            }
            assertThat(cuts).hasSizeGreaterThan(1);

            // an empty page has nothing inside its array: the cut falls right after the "["
            HttpResponse<byte[]> empty = get(sandbox, "/v3.0/users?role=district_admin");
            assertThat(new String(empty.body(), StandardCharsets.UTF_8)).isEqualTo("{\"data\":[");
            assertThat(sandbox.faultsInjected()).isEqualTo(21);

            // a request without a page (invalid limit) gets its usual error, not a cut-off one
            HttpResponse<byte[]> invalid = get(sandbox, "/v3.0/schools?limit=0");
            assertThat(invalid.statusCode()).isEqualTo(400);
            assertThat(MAPPER.readTree(invalid.body()).get("error").asText()).isNotBlank();
            assertThat(sandbox.faultsInjected()).isEqualTo(21);
        }
    }

    @Test
    void aResetConnectionIsClosedBeforeAnyByteOfAnAnswer() throws Exception {
        RequestConfig config = RequestConfig.custom().setResponseTimeout(Timeout.of(SAFETY_TIMEOUT)).build();
        try (CleverSandbox sandbox = start();
             CloseableHttpClient apache = HttpClients.custom().disableAutomaticRetries().setDefaultRequestConfig(config)
                     .build()) {
            sandbox.faults(SandboxFaults.none().withResetConnections(1.0).withFaultsUntil(2));
            try (Socket socket = new Socket("127.0.0.1", sandbox.port())) {
                socket.setSoTimeout((int) SAFETY_TIMEOUT.toMillis());
                socket.getOutputStream().write(("GET " + STUDENTS_7 + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer " + TOKEN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                assertThat(socket.getInputStream().readAllBytes()).isEmpty();
            }
            HttpGet get = new HttpGet(sandbox.baseUrl() + STUDENTS_7);
            get.setHeader("Authorization", "Bearer " + TOKEN);

            assertThatThrownBy(() -> apache.execute(get, response -> response.getCode()))
                    .isInstanceOf(NoHttpResponseException.class);
            int served = apache.execute(get, response -> response.getCode());
            assertThat(served).isEqualTo(200);
            assertThat(sandbox.faultsInjected()).isEqualTo(2);
        }
    }

    @Test
    void afterNListRequestsTheTokenStopsWorking() throws Exception {
        try (CleverSandbox sandbox = start()) {
            sandbox.faults(SandboxFaults.none().withUnauthorizedAfter(3));

            assertThat(statuses(sandbox, "/v3.0/schools", 6)).containsExactly(200, 200, 200, 401, 401, 401);
            HttpResponse<byte[]> refused = get(sandbox, "/v3.0/terms");
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(MAPPER.readTree(refused.body()).get("error").asText()).isEqualTo("invalid token");
            assertThat(new String(refused.body(), StandardCharsets.UTF_8)).doesNotContain(TOKEN);
            assertThat(get(sandbox, "/v3.0/users/" + firstStudentId()).statusCode()).isEqualTo(200);
            assertThat(sandbox.faultsInjected()).isEqualTo(4);

            sandbox.faults(SandboxFaults.none().withUnauthorizedAfter(0));
            assertThat(get(sandbox, "/v3.0/schools").statusCode()).isEqualTo(401);
            sandbox.faults(SandboxFaults.none());
            assertThat(get(sandbox, "/v3.0/schools").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void faultsStopAfterFaultsUntilSoThatOneFaultCanBePlacedExactly() throws Exception {
        try (CleverSandbox sandbox = start()) {
            sandbox.faults(SandboxFaults.none().withServerErrors(1.0, 503).withFaultsUntil(2));
            assertThat(statuses(sandbox, "/v3.0/schools", 4)).containsExactly(503, 503, 200, 200);

            sandbox.faults(SandboxFaults.none().withRateLimitBursts(2, 1, Duration.ofSeconds(1)).withFaultsUntil(2));
            assertThat(statuses(sandbox, "/v3.0/schools", 5)).containsExactly(200, 429, 200, 200, 200);

            // a stop ends every kind, the token's too
            sandbox.faults(SandboxFaults.none().withUnauthorizedAfter(0).withFaultsUntil(1));
            assertThat(statuses(sandbox, "/v3.0/schools", 2)).containsExactly(401, 200);
            assertThat(sandbox.faultsInjected()).isEqualTo(2 + 1 + 1);
            assertThat(sandbox.rateLimitedCount()).isEqualTo(1);
        }
    }

    @Test
    void serverErrorsOfOneStatusAnswerOnlyThatStatus() throws Exception {
        try (CleverSandbox sandbox = start()) {
            for (int status : List.of(500, 502, 503)) {
                sandbox.faults(SandboxFaults.none().withSeed(3L).withServerErrors(1.0, status));
                for (int i = 0; i < 6; i++) {
                    HttpResponse<byte[]> response = get(sandbox, LIST_URIS.get(i));
                    assertThat(response.statusCode()).isEqualTo(status);
                    assertThat(MAPPER.readTree(response.body()).get("error").asText()).isNotBlank();
                }
            }
            assertThat(sandbox.faultsInjected()).isEqualTo(18);
        }
    }

    @Test
    void kindsAreDecidedInAFixedOrderAndOnlyOnePerRequest() throws Exception {
        SandboxFaults everything = SandboxFaults.none()
                .withUnauthorizedAfter(6)
                .withRateLimitBursts(3, 1, Duration.ofSeconds(1))
                .withServerErrors(1.0)
                .withSlowResponses(1.0, Duration.ZERO)
                .withDroppedConnections(1.0)
                .withTruncatedBodies(1.0);
        try (CleverSandbox sandbox = start()) {
            sandbox.faults(everything);
            List<Integer> statuses = statuses(sandbox, "/v3.0/schools", 8);
            assertThat(statuses.subList(0, 2)).allMatch(status -> status == 500 || status == 503);
            assertThat(statuses.get(2)).isEqualTo(429);
            assertThat(statuses.subList(3, 5)).allMatch(status -> status == 500 || status == 503);
            assertThat(statuses.subList(5, 8)).containsExactly(429, 401, 401);

            sandbox.faults(everything.withUnauthorizedAfter(-1).withRateLimitBursts(0, 0, Duration.ZERO)
                    .withServerErrors(0));
            assertThat(outcomes(sandbox, 3)).containsExactly("200", "200", "200");
            sandbox.faults(everything.withUnauthorizedAfter(-1).withServerErrors(0).withSlowResponses(0, Duration.ZERO));
            assertThat(outcomes(sandbox, 4)).containsExactly("dropped", "dropped", "429", "dropped");
            sandbox.faults(everything.withUnauthorizedAfter(-1).withServerErrors(0).withSlowResponses(0, Duration.ZERO)
                    .withDroppedConnections(0));
            assertThat(outcomes(sandbox, 2)).containsExactly("truncated", "truncated");
            assertThat(sandbox.faultsInjected()).isEqualTo(8 + 3 + 4 + 2);
        }
    }

    @Test
    void aFaultyRequestNeverChangesWhatTheNextSuccessfulOneForTheSameUrlReturns() throws Exception {
        try (CleverSandbox sandbox = start(); CleverSandbox faultless = start()) {
            sandbox.faults(MIXED.withSlowResponses(0.1, Duration.ZERO));

            List<JsonNode> records = new ArrayList<>();
            long failures = 0;
            String uri = STUDENTS_7;
            while (uri != null) {
                byte[] correct = get(faultless, uri).body();
                byte[] served = null;
                for (int attempt = 0; served == null; attempt++) {
                    assertThat(attempt).as("attempts at " + uri).isLessThan(30);
                    served = successfulBody(sandbox, uri);
                    failures += served == null ? 1 : 0;
                }
                assertThat(served).as(uri).isEqualTo(correct);
                JsonNode page = MAPPER.readTree(served);
                page.get("data").forEach(item -> records.add(item.get("data")));
                uri = SandboxClient.link(page, "next");
            }

            assertThat(records).containsExactlyElementsOf(district.records(SandboxResource.STUDENTS).toList());
            assertThat(failures).isPositive();
            // slow responses count as faults but succeed, so they come on top of the failures
            assertThat(sandbox.faultsInjected()).isGreaterThanOrEqualTo(failures);
            assertThat(district.count(SandboxResource.STUDENTS)).isEqualTo(40);
        }
    }

    @Test
    void faultSettingsAreValidated() {
        SandboxFaults none = SandboxFaults.none();
        assertThatThrownBy(() -> none.withServerErrors(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> none.withDroppedConnections(-0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> none.withTruncatedBodies(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> none.withRateLimitBursts(-1, 2, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> none.withSlowResponses(0.5, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> none.withSlowResponses(0.5, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> none.withUnauthorizedAfter(-2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> none.withServerErrors(0.5, 404)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> none.withFaultsUntil(-2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> none.withResetConnections(2)).isInstanceOf(IllegalArgumentException.class);
        assertThat(none.withServerErrors(0.5, 503).withServerErrors(0)).isEqualTo(none);
        assertThat(none.faultsUntil()).isEqualTo(-1);
        assertThat(none.withServerErrors(0.5).withServerErrors(0)).isEqualTo(none);
        assertThat(none.unauthorizedAfter()).isEqualTo(-1);
        assertThat(none.rateLimitBurstEvery()).isZero();
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private CleverSandbox start() {
        return CleverSandbox.start(district, TOKEN, 0, UNLIMITED);
    }

    private String firstStudentId() {
        return district.records(SandboxResource.STUDENTS).findFirst().orElseThrow().get("id").asText();
    }

    private static HttpRequest.Builder request(CleverSandbox sandbox, String uri, String authorization) {
        return HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + uri)).GET().timeout(SAFETY_TIMEOUT)
                .header("Authorization", authorization);
    }

    private static HttpResponse<byte[]> get(CleverSandbox sandbox, String uri) throws IOException, InterruptedException {
        return get(sandbox, uri, "Bearer " + TOKEN);
    }

    private static HttpResponse<byte[]> get(CleverSandbox sandbox, String uri, String authorization)
            throws IOException, InterruptedException {
        return HTTP.send(request(sandbox, uri, authorization).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The body of a 200 with a parseable page, or null for any failure a client would retry. */
    private static byte[] successfulBody(CleverSandbox sandbox, String uri) throws InterruptedException {
        try {
            HttpResponse<byte[]> response = get(sandbox, uri);
            if (response.statusCode() != 200) {
                return null;
            }
            MAPPER.readTree(response.body());
            return response.body();
        } catch (HttpTimeoutException e) {
            throw new AssertionError("the sandbox hung on " + uri, e);
        } catch (IOException e) {
            return null;
        }
    }

    private static List<Integer> statuses(CleverSandbox sandbox, String uri, int count)
            throws IOException, InterruptedException {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            statuses.add(get(sandbox, uri).statusCode());
        }
        return statuses;
    }

    /**
     * How often each status answers {@code count} requests sent by four clients at once. Which request gets which
     * sequence number then depends on arrival order, but the numbers are still exactly 1..count, so the counts
     * are as deterministic as a sequential run (four lanes, because each loopback exchange idles ~40 ms).
     */
    private static Map<Integer, Long> statusCounts(CleverSandbox sandbox, String uri, int count) {
        int lanes = 4;
        List<CompletableFuture<List<Integer>>> sent = new ArrayList<>();
        for (int lane = 0; lane < lanes; lane++) {
            int share = count / lanes + (lane < count % lanes ? 1 : 0);
            sent.add(CompletableFuture.supplyAsync(() -> uncheckedStatuses(sandbox, uri, share), LANES));
        }
        return sent.stream().flatMap(lane -> lane.join().stream())
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    }

    private static List<Integer> uncheckedStatuses(CleverSandbox sandbox, String uri, int count) {
        try {
            return statuses(sandbox, uri, count);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * What a client sees of {@code count} list requests over all collections: the status, "dropped" for a
     * connection lost mid-body, "truncated" for a 200 whose body is not JSON.
     */
    private static List<String> outcomes(CleverSandbox sandbox, int count) {
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            outcomes.add(outcome(sandbox, LIST_URIS.get(i % LIST_URIS.size())));
        }
        return outcomes;
    }

    private static String outcome(CleverSandbox sandbox, String uri) {
        HttpResponse<byte[]> response;
        try {
            response = get(sandbox, uri);
        } catch (HttpTimeoutException e) {
            throw new AssertionError("the sandbox hung on " + uri, e);
        } catch (IOException e) {
            return "dropped";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (response.statusCode() == 200) {
            try {
                MAPPER.readTree(response.body());
            } catch (IOException e) {
                return "truncated";
            }
        }
        return String.valueOf(response.statusCode());
    }

    /** The outcomes {@link #outcomes} must see, straight from the decision function. */
    private static List<String> predicted(SandboxFaults faults, int count) {
        List<String> outcomes = new ArrayList<>();
        for (long n = 1; n <= count; n++) {
            FaultPlan.Fault fault = FaultPlan.decide(faults, n);
            outcomes.add(switch (fault.kind()) {
                case DROP, RESET -> "dropped";
                case TRUNCATE -> "truncated";
                default -> String.valueOf(fault.status());
            });
        }
        return outcomes;
    }

    /** {@code sent} is a strict prefix of {@code page} that ends inside its data array (after "[", up to "]"). */
    private static void assertCutInsideData(byte[] sent, byte[] page) {
        byte[] start = "{\"data\":[".getBytes(StandardCharsets.UTF_8);
        int dataEnd = lastIndexOf(page, LINKS);
        assertThat(dataEnd).isPositive();
        assertThat(sent.length).isBetween(start.length, dataEnd);
        assertThat(Arrays.copyOf(page, sent.length)).isEqualTo(sent);
    }

    private static int lastIndexOf(byte[] haystack, byte[] needle) {
        for (int i = haystack.length - needle.length; i >= 0; i--) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    private static long ceilSeconds(long millis) {
        return Math.floorDiv(millis + 999, 1000);
    }

    /** A GET over a bare socket, read until the server closes the connection: exactly the bytes it sent. */
    private static RawResponse rawGet(CleverSandbox sandbox, String uri) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", sandbox.port())) {
            socket.setSoTimeout((int) SAFETY_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + uri + " HTTP/1.1\r\nHost: 127.0.0.1:" + sandbox.port() + "\r\nAuthorization: Bearer "
                    + TOKEN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] all = in.readAllBytes();
            int headerEnd = indexOfHeaderEnd(all);
            String head = new String(all, 0, headerEnd, StandardCharsets.US_ASCII);
            return new RawResponse(head.split("\r\n"), Arrays.copyOfRange(all, headerEnd + 4, all.length));
        }
    }

    private static int indexOfHeaderEnd(byte[] bytes) {
        for (int i = 0; i + 3 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
                return i;
            }
        }
        throw new AssertionError("no end of headers in " + bytes.length + " bytes");
    }

    private record RawResponse(String[] headLines, byte[] body) {

        String statusLine() {
            return headLines[0];
        }

        String header(String name) {
            for (int i = 1; i < headLines.length; i++) {
                int colon = headLines[i].indexOf(':');
                if (headLines[i].substring(0, colon).toLowerCase(Locale.ROOT).equals(name)) {
                    return headLines[i].substring(colon + 1).trim();
                }
            }
            return null;
        }
    }
}

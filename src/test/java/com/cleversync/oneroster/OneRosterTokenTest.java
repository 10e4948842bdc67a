package com.cleversync.oneroster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxSize;
import com.cleversync.sandbox.oneroster.OneRosterSandbox;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A OneRoster district's access token against the OneRoster sandbox over real loopback HTTP. The district's
 * clock (by which the sandbox expires tokens) and the client's are one {@link MovableClock}, so a test moves
 * time for both at once and expiry is exact.
 */
class OneRosterTokenTest {

    private static final SandboxSize SMALL = new SandboxSize(2, 6, 2, 1, 2, 3, 1, 2, 11L);
    private static final Instant NOON = Instant.parse("2026-11-23T12:00:00Z");
    private static final String CLIENT_ID = "district-app";
    /** Characters that Basic's form-encoding (RFC 6749 §2.3.1) and the form body must both carry intact. */
    private static final String SECRET = "s3cret+/=:%&";
    private static final Duration MARGIN = Duration.ofSeconds(60);
    /** A safety net only: a hung endpoint fails the test instead of stalling the build. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final MovableClock clock = new MovableClock(NOON);
    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable server : started) {
            server.close();
        }
    }

    private OneRosterSandbox sandbox(Duration tokenLifetime) {
        SandboxDistrict district = new SandboxDistrict(SMALL);
        district.clock(clock);
        OneRosterSandbox sandbox = OneRosterSandbox.start(district, OneRosterSandbox.Settings.defaults()
                .withClient(CLIENT_ID, SECRET).withTokenLifetime(tokenLifetime));
        started.add(sandbox);
        return sandbox;
    }

    private OneRosterToken token(String tokenUrl, String secret, ClientAuthentication authentication) {
        return new OneRosterToken(URI.create(tokenUrl), CLIENT_ID, () -> secret, null, authentication, MARGIN, HTTP,
                clock, TIMEOUT);
    }

    private OneRosterToken token(OneRosterSandbox sandbox) {
        return token(sandbox.tokenUrl(), SECRET, ClientAuthentication.BASIC);
    }

    /** The status of a real API request (one user) carrying the token. */
    private static int apiStatus(OneRosterSandbox sandbox, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.apiUrl() + "/users?limit=1")).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Nested
    class ATokenIsKept {

        @Test
        void aTokenIsFetchedOnceAndReusedForEveryRequest() {
            OneRosterSandbox sandbox = sandbox(Duration.ofHours(1));
            OneRosterToken token = token(sandbox);

            String first = token.current();
            for (int i = 0; i < 50; i++) {
                clock.advance(Duration.ofSeconds(10));
                assertThat(token.current()).isEqualTo(first);
            }

            assertThat(sandbox.tokensIssued()).isEqualTo(1);
            assertThat(token.fetches()).isEqualTo(1);
            assertThat(apiStatus(sandbox, first)).isEqualTo(200);
        }

        @Test
        void aTokenIsReplacedOnceItExpiresWithinTheRefreshMarginWhileItIsStillValid() {
            OneRosterSandbox sandbox = sandbox(Duration.ofMinutes(10));
            OneRosterToken token = token(sandbox);
            String first = token.current();

            clock.advance(Duration.ofMinutes(9).minusSeconds(1));
            assertThat(token.current()).isEqualTo(first);
            assertThat(sandbox.tokensIssued()).isEqualTo(1);

            clock.advance(Duration.ofSeconds(1));
            String second = token.current();

            assertThat(second).isNotEqualTo(first);
            assertThat(sandbox.tokensIssued()).isEqualTo(2);
            assertThat(apiStatus(sandbox, first)).as("the old token was still valid when replaced").isEqualTo(200);
            assertThat(apiStatus(sandbox, second)).isEqualTo(200);
        }

        @Test
        void aTokenLivingLessThanTheRefreshMarginIsStillUsedForHalfItsLifetime() {
            OneRosterSandbox sandbox = sandbox(Duration.ofSeconds(60));
            OneRosterToken token = token(sandbox);
            String first = token.current();

            clock.advance(Duration.ofSeconds(29));
            assertThat(token.current()).isEqualTo(first);
            clock.advance(Duration.ofSeconds(1));
            assertThat(token.current()).isNotEqualTo(first);

            assertThat(sandbox.tokensIssued()).isEqualTo(2);
        }

        @Test
        void concurrentCallersWithoutATokenShareOneFetch() throws Exception {
            OneRosterSandbox sandbox = sandbox(Duration.ofHours(1));
            OneRosterToken token = token(sandbox);
            int threads = 8;
            ExecutorService lanes = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> answers = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    answers.add(lanes.submit(() -> {
                        go.await();
                        return token.current();
                    }));
                }
                go.countDown();
                List<String> tokens = new ArrayList<>();
                for (Future<String> answer : answers) {
                    tokens.add(answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
                }

                assertThat(tokens).hasSize(threads).containsOnly(tokens.get(0));
                assertThat(sandbox.tokensIssued()).isEqualTo(1);
                assertThat(token.fetches()).isEqualTo(1);
            } finally {
                lanes.shutdownNow();
            }
        }
    }

    @Nested
    class TheClientAuthenticates {

        @ParameterizedTest
        @EnumSource(ClientAuthentication.class)
        void withHttpBasicOrWithTheFormBody(ClientAuthentication authentication) {
            OneRosterSandbox sandbox = sandbox(Duration.ofHours(1));
            OneRosterToken token = token(sandbox.tokenUrl(), SECRET, authentication);

            assertThat(apiStatus(sandbox, token.current())).isEqualTo(200);
        }

        @Test
        void withAScopeAsOneRoster12Requires() {
            OneRosterSandbox sandbox = sandbox(Duration.ofHours(1));
            OneRosterToken token = new OneRosterToken(URI.create(sandbox.tokenUrl()), CLIENT_ID, () -> SECRET,
                    "https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly", ClientAuthentication.FORM,
                    MARGIN, HTTP, clock, TIMEOUT);

            assertThat(apiStatus(sandbox, token.current())).isEqualTo(200);
        }

        @Test
        void withTheSecretReadAgainForEachFetchSoARotatedSecretIsPickedUp() {
            OneRosterSandbox sandbox = sandbox(Duration.ofHours(1));
            AtomicReference<String> vault = new AtomicReference<>("the-secret-before-rotation");
            OneRosterToken token = new OneRosterToken(URI.create(sandbox.tokenUrl()), CLIENT_ID, vault::get, null,
                    ClientAuthentication.BASIC, MARGIN, HTTP, clock, TIMEOUT);
            assertThatThrownBy(token::current).isInstanceOf(OneRosterRejectedException.class);

            vault.set(SECRET);

            assertThat(apiStatus(sandbox, token.current())).isEqualTo(200);
            assertThat(token.fetches()).isEqualTo(2);
        }
    }

    @Nested
    class AfterTheApiAnswers401 {

        @Test
        void invalidatingARevokedTokenFetchesAFreshOneTheApiAccepts() {
            OneRosterSandbox sandbox = sandbox(Duration.ofHours(1));
            OneRosterToken token = token(sandbox);
            String revoked = token.current();
            sandbox.revokeTokens();
            assertThat(apiStatus(sandbox, revoked)).isEqualTo(401);

            token.invalidate(revoked);
            String fresh = token.current();

            assertThat(fresh).isNotEqualTo(revoked);
            assertThat(apiStatus(sandbox, fresh)).isEqualTo(200);
            assertThat(sandbox.tokensIssued()).isEqualTo(2);
        }

        @Test
        void invalidatingAStaleTokenKeepsTheNewerOneAnotherLaneAlreadyFetched() {
            OneRosterSandbox sandbox = sandbox(Duration.ofHours(1));
            OneRosterToken token = token(sandbox);
            String stale = token.current();
            token.invalidate(stale);
            String newer = token.current();

            token.invalidate(stale);

            assertThat(token.current()).isEqualTo(newer);
            assertThat(sandbox.tokensIssued()).isEqualTo(2);
            assertThat(token.fetches()).isEqualTo(2);
        }
    }

    @Nested
    class Failures {

        @ParameterizedTest
        @EnumSource(ClientAuthentication.class)
        void aWrongSecretIsRejectedNamingTheUrlStatusAndOAuthErrorButNeverTheSecret(ClientAuthentication authentication) {
            OneRosterSandbox sandbox = sandbox(Duration.ofHours(1));
            String wrongSecret = "not-the-secret-42";
            // Infinite Campus puts the app's name in the query: it stays out of messages like any query
            OneRosterToken token = token(sandbox.tokenUrl() + "?appName=cleversync", wrongSecret, authentication);

            assertThatThrownBy(token::current)
                    .isInstanceOf(OneRosterRejectedException.class)
                    .hasMessage("the OneRoster token endpoint " + sandbox.tokenUrl() + " answered 401 (invalid_client)")
                    .hasMessageNotContaining(wrongSecret)
                    .hasNoCause();
        }

        @Test
        void aTokenEndpointThatIsDownIsUnavailable() {
            OneRosterSandbox sandbox = sandbox(Duration.ofHours(1));
            String tokenUrl = sandbox.tokenUrl();
            sandbox.close();
            OneRosterToken token = token(tokenUrl, SECRET, ClientAuthentication.BASIC);

            assertThatThrownBy(token::current)
                    .isInstanceOf(OneRosterUnavailableException.class)
                    .hasMessageStartingWith("the OneRoster token endpoint " + tokenUrl + " could not be reached")
                    .hasMessageNotContaining(SECRET);
            assertThat(token.fetches()).isEqualTo(1);
        }

        @Test
        void theTokenPrintsItsUrlAndClientIdOnly() {
            OneRosterSandbox sandbox = sandbox(Duration.ofHours(1));
            OneRosterToken token = token(sandbox);
            String value = token.current();

            assertThat(token).hasToString("OneRosterToken[tokenUrl=" + sandbox.tokenUrl() + ", clientId=" + CLIENT_ID + "]");
            assertThat(token.toString()).doesNotContain(value, SECRET);
        }
    }

    /**
     * Answers of real providers that the sandbox never gives, from a loopback endpoint that answers every token
     * request with one scripted status and body.
     */
    @Nested
    class AnswersTheSandboxDoesNotGive {

        private String endpoint(int status, String body) {
            HttpServer server;
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/token", exchange -> {
                exchange.getRequestBody().readAllBytes();
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            server.start();
            started.add(() -> server.stop(0));
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
        }

        @Test
        void aServerErrorOrRateLimitIsUnavailable() {
            String down = endpoint(503, "<html>maintenance</html>");
            String busy = endpoint(429, "{\"error\":\"slow_down\"}");

            assertThatThrownBy(() -> token(down, SECRET, ClientAuthentication.BASIC).current())
                    .isInstanceOf(OneRosterUnavailableException.class)
                    .hasMessage("the OneRoster token endpoint " + down + " answered 503");
            assertThatThrownBy(() -> token(busy, SECRET, ClientAuthentication.BASIC).current())
                    .isInstanceOf(OneRosterUnavailableException.class)
                    .hasMessage("the OneRoster token endpoint " + busy + " answered 429 (slow_down)");
        }

        @Test
        void aSuccessWithoutAnAccessTokenIsRejected() {
            String url = endpoint(200, "{\"token_type\":\"bearer\",\"expires_in\":3600}");

            assertThatThrownBy(() -> token(url, SECRET, ClientAuthentication.FORM).current())
                    .isInstanceOf(OneRosterRejectedException.class)
                    .hasMessage("the OneRoster token endpoint " + url + " answered 200 without an access_token");
        }

        @Test
        void anErrorDescriptionEchoingTheSecretIsShownWithoutIt() {
            String url = endpoint(400, "{\"error\":\"invalid_request\",\"error_description\":\"bad secret " + SECRET
                    + "\"}");

            assertThatThrownBy(() -> token(url, SECRET, ClientAuthentication.FORM).current())
                    .isInstanceOf(OneRosterRejectedException.class)
                    .hasMessage("the OneRoster token endpoint " + url + " answered 400 (invalid_request: bad secret ****)");
        }

        @Test
        void aTokenWithoutExpiryIsKeptUntilTheApiRefusesIt() {
            String url = endpoint(200, "{\"access_token\":\"never-expires\",\"token_type\":\"Bearer\"}");
            OneRosterToken token = token(url, SECRET, ClientAuthentication.BASIC);
            assertThat(token.current()).isEqualTo("never-expires");

            clock.advance(Duration.ofDays(30));
            assertThat(token.current()).isEqualTo("never-expires");
            assertThat(token.fetches()).isEqualTo(1);

            token.invalidate("never-expires");
            assertThat(token.current()).isEqualTo("never-expires");
            assertThat(token.fetches()).isEqualTo(2);
        }
    }

    /** A clock that stands still until a test moves it; shared by the sandbox district and the client. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the test clock is in UTC");
        }
    }
}

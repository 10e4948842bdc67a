package com.cleversync.oneroster;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A OneRoster district's OAuth 2.0 access token, obtained with the client-credentials grant (RFC 6749 §4.4) and
 * kept: fetched on first use, fetched again when it is about to expire, or when the API refused it
 * ({@link #invalidate(String)}). Every request of every lane of the district shares it, so {@link #current()} is
 * safe to call from many threads and the callers that find no usable token wait for one fetch together instead
 * of each asking the provider for its own.
 *
 * <p>The client secret is read from its {@link Supplier} for every fetch, not once: the configured value may be
 * a placeholder (e.g. a Key Vault secret) that resolves to a rotated secret later. Neither the secret nor a
 * token is ever logged, printed or put in an exception's message.
 */
public final class OneRosterToken {
    /** How long before its expiry a token is replaced, so a request never leaves with one that dies in flight. */
    public static final Duration DEFAULT_REFRESH_MARGIN = Duration.ofSeconds(60);
    /** How long a token request may take, connecting included, before the endpoint counts as unavailable. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(OneRosterToken.class);

    private final URI tokenUrl;
    private final String shownUrl;
    private final String clientId;
    private final Supplier<String> clientSecret;
    private final String scope;
    private final ClientAuthentication authentication;
    private final Duration refreshMargin;
    private final HttpClient http;
    private final Clock clock;
    private final Duration requestTimeout;
    private final AtomicLong fetches = new AtomicLong();
    private final Object lock = new Object();
    /** The token in use; null before the first fetch and after the API refused it. */
    private volatile AccessToken cached;
    /** The fetch under way, which callers arriving meanwhile wait for; null when none is. Guarded by lock. */
    private CompletableFuture<AccessToken> fetching;

    /**
     * @param tokenUrl       where tokens are {@code POST}ed for, e.g. {@code https://d.example/campus/oauth2/token?appName=x}
     * @param clientId       the OAuth client id the provider issued
     * @param clientSecret   its secret, read again for every fetch
     * @param scope          the space-separated scopes to ask for (OneRoster 1.2 requires one, e.g.
     *                       {@code https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly}); null or
     *                       blank to ask for none and get the provider's default
     * @param authentication how the client proves its identity to the token endpoint
     * @param refreshMargin  how long before its expiry a token is replaced; capped at half the token's lifetime,
     *                       so a provider issuing tokens shorter than the margin is not asked on every request
     * @param http           the client to send with; following redirects is up to it (a token request is a
     *                       POST carrying the secret, so the default, never, is the safe one)
     * @param clock          tells when a token expires
     * @param requestTimeout how long one token request may take in all
     */
    public OneRosterToken(URI tokenUrl, String clientId, Supplier<String> clientSecret, String scope,
                          ClientAuthentication authentication, Duration refreshMargin, HttpClient http, Clock clock,
                          Duration requestTimeout) {
        this.tokenUrl = Objects.requireNonNull(tokenUrl, "tokenUrl");
        if (!tokenUrl.isAbsolute() || tokenUrl.getHost() == null
                || !("http".equalsIgnoreCase(tokenUrl.getScheme()) || "https".equalsIgnoreCase(tokenUrl.getScheme()))) {
            throw new IllegalArgumentException("the OneRoster token URL must be an absolute http(s) URL");
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("the OneRoster client id must not be blank");
        }
        this.shownUrl = shown(tokenUrl);
        this.clientId = clientId;
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
        this.scope = scope == null || scope.isBlank() ? null : scope.trim();
        this.authentication = Objects.requireNonNull(authentication, "authentication");
        this.refreshMargin = Objects.requireNonNull(refreshMargin, "refreshMargin");
        if (refreshMargin.isNegative()) {
            throw new IllegalArgumentException("refreshMargin must not be negative");
        }
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
    }

    /**
     * A token refreshed {@link #DEFAULT_REFRESH_MARGIN} before expiry by the system clock, fetched over its own
     * HTTP/1.1 client within {@link #DEFAULT_REQUEST_TIMEOUT}.
     */
    public static OneRosterToken of(URI tokenUrl, String clientId, Supplier<String> clientSecret, String scope,
                                    ClientAuthentication authentication) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(DEFAULT_REQUEST_TIMEOUT).build();
        return new OneRosterToken(tokenUrl, clientId, clientSecret, scope, authentication, DEFAULT_REFRESH_MARGIN,
                http, Clock.systemUTC(), DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * The access token to send as {@code Authorization: Bearer …}, fetched first when there is none or it expires
     * within the refresh margin. Callers that arrive while a fetch is under way wait for it and share its
     * outcome, a failure included. A failure is not remembered: the next call asks again, so how soon to retry
     * stays with the caller (the route's redelivery), which knows whether the district is being synced.
     *
     * @throws OneRosterUnavailableException the token endpoint could not be reached, timed out, or answered 5xx,
     *                                       408 or 429: worth trying again later
     * @throws OneRosterRejectedException    it refused the client (e.g. 401 {@code invalid_client}) or answered
     *                                       without a usable token: the configuration needs fixing
     */
    public String current() {
        AccessToken token = cached;
        if (token != null && token.usableAt(clock.instant())) {
            return token.value();
        }
        CompletableFuture<AccessToken> fetch;
        boolean mine = false;
        synchronized (lock) {
            token = cached;
            if (token != null && token.usableAt(clock.instant())) {
                return token.value();
            }
            if (fetching == null) {
                fetching = new CompletableFuture<>();
                mine = true;
            }
            fetch = fetching;
        }
        return mine ? fetchFor(fetch).value() : awaitOther(fetch).value();
    }

    /**
     * The API answered 401 to a request carrying {@code token}: it is forgotten, so the next {@link #current()}
     * fetches a new one. Only if it is still the token in use, though: another lane may have met the same 401
     * and already replaced it, and that newer token must not be thrown away.
     */
    public void invalidate(String token) {
        if (token == null) {
            return;
        }
        synchronized (lock) {
            AccessToken current = cached;
            if (current != null && current.value().equals(token)) {
                cached = null;
            }
        }
    }

    /**
     * What the client-side limit counts requests by: the token endpoint and client id, so districts
     * sharing a client share its limit (a digest: neither value needs to travel in a header).
     */
    public String clientKey() {
        return Integer.toHexString((shownUrl + " " + clientId).hashCode());
    }

    /** Token requests sent so far, whether they were answered with a token or not. */
    public long fetches() {
        return fetches.get();
    }

    /** Runs the fetch the others wait for, and hands them its outcome. */
    private AccessToken fetchFor(CompletableFuture<AccessToken> fetch) {
        try {
            AccessToken fetched = fetch();
            synchronized (lock) {
                cached = fetched;
                fetching = null;
            }
            fetch.complete(fetched);
            return fetched;
        } catch (Throwable failure) {
            // whatever went wrong, the waiters must learn of it rather than wait forever
            synchronized (lock) {
                fetching = null;
            }
            fetch.completeExceptionally(failure);
            throw failure;
        }
    }

    private AccessToken awaitOther(CompletableFuture<AccessToken> fetch) {
        try {
            return fetch.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OneRosterUnavailableException("interrupted while waiting for a token from " + shownUrl, e);
        } catch (ExecutionException e) {
            Throwable failure = e.getCause();
            if (failure instanceof RuntimeException) {
                throw (RuntimeException) failure;
            }
            if (failure instanceof Error) {
                throw (Error) failure;
            }
            throw new IllegalStateException("a token fetch failed", failure);
        }
    }

    private AccessToken fetch() {
        String secret = clientSecret.get();
        if (secret == null || secret.isEmpty()) {
            throw new OneRosterRejectedException("no client secret is configured for client " + clientId + " of "
                    + shownUrl);
        }
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        if (scope != null) {
            form.append("&scope=").append(formEncoded(scope));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(tokenUrl)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        if (authentication == ClientAuthentication.BASIC) {
            // RFC 6749 §2.3.1: each part form-encoded first, so a ":" in the id or secret cannot split the pair
            String pair = formEncoded(clientId) + ":" + formEncoded(secret);
            request.header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        } else {
            form.append("&client_id=").append(formEncoded(clientId))
                    .append("&client_secret=").append(formEncoded(secret));
        }
        request.POST(HttpRequest.BodyPublishers.ofString(form.toString()));
        // expiry counts from before the request was sent, so it errs early, never late
        Instant asked = clock.instant();
        fetches.incrementAndGet();
        HttpResponse<String> response = send(request.build());
        TokenAnswer answer = new TokenAnswer(shownUrl, response.statusCode(), response.body(), secret);
        AccessToken token = answer.accessToken(asked, refreshMargin);
        LOG.debug("fetched a OneRoster access token from {} for client {} ({})", shownUrl, clientId,
                token.refreshAt() == null ? "no expiry given" : "to be replaced at " + token.refreshAt());
        return token;
    }

    /**
     * Sends with one deadline for the whole exchange: {@link HttpRequest#timeout} stops counting once the headers
     * have arrived, and a provider stalling in the body would otherwise hold every waiting lane.
     */
    private HttpResponse<String> send(HttpRequest request) {
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            return answer.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new OneRosterUnavailableException("the OneRoster token endpoint " + shownUrl
                    + " did not answer within " + requestTimeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new OneRosterUnavailableException("interrupted while asking " + shownUrl + " for a token", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String reason = cause.getMessage() == null ? cause.getClass().getSimpleName()
                    : cause.getClass().getSimpleName() + ": " + cause.getMessage();
            throw new OneRosterUnavailableException("the OneRoster token endpoint " + shownUrl
                    + " could not be reached (" + reason + ")", cause);
        }
    }

    private static String formEncoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The URL without its query and user info: a provider may put an app name or even a key there. */
    private static String shown(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    /** The token URL (without query) and the client id: nothing secret. */
    @Override
    public String toString() {
        return "OneRosterToken[tokenUrl=" + shownUrl + ", clientId=" + clientId + "]";
    }
}

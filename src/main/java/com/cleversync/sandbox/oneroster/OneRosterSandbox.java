package com.cleversync.sandbox.oneroster;

import com.cleversync.sandbox.RateLimitWindow;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxFaults;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulator of a OneRoster 1.1 or 1.2 rostering provider (a district's SIS) serving the same generated
 * {@link SandboxDistrict} the Clever sandbox serves, over loopback HTTP: OAuth 2.0 client-credentials tokens,
 * the standard collections with offset paging, {@code dateLastModified} deltas with {@code tobedeleted}
 * records, the per-client rate limit and, on demand, the {@link SandboxFaults} the Clever sandbox injects.
 *
 * <p>Time is the district's {@link SandboxDistrict#clock(java.time.Clock) clock}: changes are stamped with it, and tokens expire
 * and rate-limit windows roll over by it, so a test that sets a fixed clock controls all three.
 */
public final class OneRosterSandbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OneRosterSandbox.class);
    /** Enough for a few clients paging concurrently. */
    private static final int THREADS = 4;
    /** A literal, so the bound address always matches {@link #baseUrl()} (never ::1, never a DNS lookup). */
    private static final String LOOPBACK = "127.0.0.1";

    private final SandboxDistrict district;
    private final Settings settings;
    private final HttpServer server;
    private final ExecutorService executor;
    private final AccessTokens tokens;
    private final RosterApi api;
    private final AtomicLong requests;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private OneRosterSandbox(SandboxDistrict district, Settings settings, HttpServer server, ExecutorService executor,
                             AccessTokens tokens, RosterApi api, AtomicLong requests) {
        this.district = district;
        this.settings = settings;
        this.server = server;
        this.executor = executor;
        this.tokens = tokens;
        this.api = api;
        this.requests = requests;
        this.port = server.getAddress().getPort();
    }

    /** Starts serving on 127.0.0.1, on {@link Settings#port()} (0: any free port). */
    public static OneRosterSandbox start(SandboxDistrict district, Settings settings) {
        Objects.requireNonNull(district, "district");
        Objects.requireNonNull(settings, "settings");
        // see CleverSandbox: without it every response of the JDK server waits ~40 ms for a delayed ACK
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(LOOPBACK, settings.port()), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the OneRoster sandbox to port " + settings.port(), e);
        }
        String baseUrl = "http://" + LOOPBACK + ":" + server.getAddress().getPort();
        AtomicLong requests = new AtomicLong();
        AccessTokens tokens = new AccessTokens(settings.tokenLifetime(), district::now);
        ObjectMapper mapper = new ObjectMapper();
        RosterApi api = new RosterApi(district, settings, baseUrl, tokens,
                new RateLimitWindow(settings.requestsPerMinute()), mapper, requests);
        server.createContext(settings.tokenPath(), new TokenEndpoint(settings, tokens, mapper, requests));
        server.createContext("/", api);
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
        server.setExecutor(executor);
        server.start();
        OneRosterSandbox sandbox = new OneRosterSandbox(district, settings, server, executor, tokens, api, requests);
        // the version and port only: never the client's secret, nor anything of the district's people
        log.info("OneRoster {} sandbox listening on port {}", settings.version(), sandbox.port());
        return sandbox;
    }

    /** {@code http://127.0.0.1:<port>}, without trailing slash, path prefix or version. */
    public String baseUrl() {
        return "http://" + LOOPBACK + ":" + port;
    }

    /**
     * The provider's OneRoster base, what a client is configured with: {@link #baseUrl()}, the path prefix and the
     * version's standard root, e.g. {@code http://127.0.0.1:41234/campus/api/ims/oneroster/rostering/v1p2}.
     */
    public String apiUrl() {
        return baseUrl() + settings.apiRoot();
    }

    /** Where clients {@code POST} for a token. */
    public String tokenUrl() {
        return baseUrl() + settings.tokenPath();
    }

    public int port() {
        return port;
    }

    public Settings settings() {
        return settings;
    }

    public SandboxDistrict district() {
        return district;
    }

    /** Requests served, token requests included, whatever their status. */
    public long requestCount() {
        return requests.get();
    }

    /** Access tokens issued since start. */
    public long tokensIssued() {
        return tokens.issued();
    }

    /**
     * Makes every token issued so far invalid at once, as a provider restart or a key rotation does: API requests
     * carrying one get 401 until the client fetches a new token. (Expiry by time needs no call: move the
     * district's clock past {@link Settings#tokenLifetime()}.)
     */
    public void revokeTokens() {
        tokens.revokeAll();
    }

    /** API requests answered with 429, the rate limit's and injected bursts alike. */
    public long rateLimitedCount() {
        return api.rateLimitedCount();
    }

    /**
     * Replaces the faults injected into list requests from the next request on, restarting their sequence, as
     * {@code CleverSandbox.faults} does; {@link SandboxFaults#none()} turns them off. Injected 429s carry
     * {@code Retry-After} with the burst's reset delay.
     */
    public void faults(SandboxFaults faults) {
        api.faults(Objects.requireNonNull(faults, "faults"));
    }

    /** Faulty responses served since start (a slow one counts when its wait begins). */
    public long faultsInjected() {
        return api.faultsInjected();
    }

    /** Stops at once; slow responses still waiting are woken and end without an answer. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        api.shutdown();
        server.stop(0);
        executor.shutdownNow();
        log.info("OneRoster sandbox on port {} stopped after {} requests", port, requestCount());
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "oneroster-sandbox-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * How the simulated provider is set up. {@link #defaults()} is a plain OneRoster 1.1 provider; the
     * {@code with…} copies change one knob each.
     *
     * @param version           {@code "1.1"} (paths {@code /ims/oneroster/v1p1}, users with {@code role} and
     *                          {@code orgs}) or {@code "1.2"} ({@code /ims/oneroster/rostering/v1p2}, users with
     *                          {@code roles} and {@code primaryOrg})
     * @param clientId          the OAuth 2.0 client id the provider issued
     * @param clientSecret      its secret; never logged, and masked in {@link #toString()}
     * @param tokenLifetime     how long an access token stays valid ({@code expires_in}); default one hour
     * @param pathPrefix        where the provider hosts OneRoster under its base, e.g. {@code /campus/api}; empty
     *                          for none; starts with "/" and does not end with one
     * @param tokenPath         where tokens are issued, e.g. {@code /oauth/token} (the default) or
     *                          {@code /campus/oauth2/token}; not under the prefix, since providers put it elsewhere
     * @param maxPageSize       the largest page served; a larger {@code limit} is quietly clamped to it, as
     *                          providers do (PowerSchool's plugin setting is commonly 1000, the default)
     * @param requestsPerMinute the client's budget per clock minute; beyond it 429 with {@code Retry-After}
     * @param deltaSupported    whether {@code filter=dateLastModified>'…'} is understood; a provider without it
     *                          answers any {@code filter} with 400, so a client must fall back to full reads
     * @param port              the port to listen on, 0 for any free port (the default)
     */
    public record Settings(String version, String clientId, String clientSecret, Duration tokenLifetime,
                           String pathPrefix, String tokenPath, int maxPageSize, int requestsPerMinute,
                           boolean deltaSupported, int port) {

        public static final String V1_1 = "1.1";
        public static final String V1_2 = "1.2";

        public Settings {
            if (!V1_1.equals(version) && !V1_2.equals(version)) {
                throw new IllegalArgumentException("version must be \"1.1\" or \"1.2\"");
            }
            if (clientId == null || clientId.isBlank() || clientSecret == null || clientSecret.isBlank()) {
                throw new IllegalArgumentException("clientId and clientSecret must not be blank");
            }
            Objects.requireNonNull(tokenLifetime, "tokenLifetime");
            if (tokenLifetime.isNegative() || tokenLifetime.isZero()) {
                throw new IllegalArgumentException("tokenLifetime must be positive");
            }
            if (pathPrefix == null || (!pathPrefix.isEmpty() && (!pathPrefix.startsWith("/") || pathPrefix.endsWith("/")))) {
                throw new IllegalArgumentException("pathPrefix must be empty or start with \"/\" and not end with one");
            }
            if (tokenPath == null || !tokenPath.startsWith("/") || tokenPath.length() < 2) {
                throw new IllegalArgumentException("tokenPath must start with \"/\"");
            }
            if (maxPageSize < 1) {
                throw new IllegalArgumentException("maxPageSize must be at least 1");
            }
            if (requestsPerMinute < 1) {
                throw new IllegalArgumentException("requestsPerMinute must be at least 1");
            }
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535");
            }
        }

        public static Settings defaults() {
            return new Settings(V1_1, "sandbox-client", "sandbox-secret", Duration.ofHours(1), "", "/oauth/token",
                    1000, 1200, true, 0);
        }

        public Settings withVersion(String version) {
            return new Settings(version, clientId, clientSecret, tokenLifetime, pathPrefix, tokenPath, maxPageSize,
                    requestsPerMinute, deltaSupported, port);
        }

        public Settings withClient(String clientId, String clientSecret) {
            return new Settings(version, clientId, clientSecret, tokenLifetime, pathPrefix, tokenPath, maxPageSize,
                    requestsPerMinute, deltaSupported, port);
        }

        public Settings withTokenLifetime(Duration tokenLifetime) {
            return new Settings(version, clientId, clientSecret, tokenLifetime, pathPrefix, tokenPath, maxPageSize,
                    requestsPerMinute, deltaSupported, port);
        }

        public Settings withPathPrefix(String pathPrefix) {
            return new Settings(version, clientId, clientSecret, tokenLifetime, pathPrefix, tokenPath, maxPageSize,
                    requestsPerMinute, deltaSupported, port);
        }

        public Settings withTokenPath(String tokenPath) {
            return new Settings(version, clientId, clientSecret, tokenLifetime, pathPrefix, tokenPath, maxPageSize,
                    requestsPerMinute, deltaSupported, port);
        }

        public Settings withMaxPageSize(int maxPageSize) {
            return new Settings(version, clientId, clientSecret, tokenLifetime, pathPrefix, tokenPath, maxPageSize,
                    requestsPerMinute, deltaSupported, port);
        }

        public Settings withRequestsPerMinute(int requestsPerMinute) {
            return new Settings(version, clientId, clientSecret, tokenLifetime, pathPrefix, tokenPath, maxPageSize,
                    requestsPerMinute, deltaSupported, port);
        }

        public Settings withDeltaSupported(boolean deltaSupported) {
            return new Settings(version, clientId, clientSecret, tokenLifetime, pathPrefix, tokenPath, maxPageSize,
                    requestsPerMinute, deltaSupported, port);
        }

        public Settings withPort(int port) {
            return new Settings(version, clientId, clientSecret, tokenLifetime, pathPrefix, tokenPath, maxPageSize,
                    requestsPerMinute, deltaSupported, port);
        }

        /** The path of the version's collections, prefix included, e.g. {@code /campus/api/ims/oneroster/v1p1}. */
        String apiRoot() {
            return pathPrefix + (V1_1.equals(version) ? "/ims/oneroster/v1p1" : "/ims/oneroster/rostering/v1p2");
        }

        boolean isVersion12() {
            return V1_2.equals(version);
        }

        /** Everything but the secret, so settings can be logged or shown in a failed assertion. */
        @Override
        public String toString() {
            return "Settings[version=" + version + ", clientId=" + clientId + ", clientSecret=****, tokenLifetime="
                    + tokenLifetime + ", pathPrefix=" + pathPrefix + ", tokenPath=" + tokenPath + ", maxPageSize="
                    + maxPageSize + ", requestsPerMinute=" + requestsPerMinute + ", deltaSupported=" + deltaSupported
                    + ", port=" + port + "]";
        }
    }
}

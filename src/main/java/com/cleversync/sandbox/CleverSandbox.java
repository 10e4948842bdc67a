package com.cleversync.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A simulator of the Clever data API (v3.0, also answering v3.1) serving a {@link SandboxDistrict} over
 * loopback HTTP: bearer auth, Clever's paging envelope and links, limit checks and the per-minute rate limit,
 * and the events feed of the changes tests make to the district.
 * On demand it also misbehaves, deterministically: see {@link #faults(SandboxFaults)}.
 */
public final class CleverSandbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CleverSandbox.class);
    /** Enough for a few clients paging concurrently; each page is streamed by one thread. */
    private static final int THREADS = 4;
    /** A literal, so the bound address always matches {@link #baseUrl()} (never ::1, never a DNS lookup). */
    private static final String LOOPBACK = "127.0.0.1";

    private final SandboxDistrict district;
    private volatile String token;
    private final HttpServer server;
    private final ExecutorService executor;
    private final ApiHandler handler;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private CleverSandbox(SandboxDistrict district, String token, HttpServer server, ExecutorService executor,
                          ApiHandler handler) {
        this.district = district;
        this.token = token;
        this.server = server;
        this.executor = executor;
        this.handler = handler;
        this.port = server.getAddress().getPort();
    }

    /**
     * Starts serving on 127.0.0.1.
     *
     * @param port              the port, or 0 for any free port
     * @param requestsPerMinute the per-token budget of each one-minute window (Clever's is 1200)
     */
    public static CleverSandbox start(SandboxDistrict district, String token, int port, int requestsPerMinute) {
        Objects.requireNonNull(district, "district");
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
        ApiHandler handler = new ApiHandler(district, token, new RateLimitWindow(requestsPerMinute), new ObjectMapper());
        // The JDK server writes headers and body separately; with Nagle's algorithm and delayed ACKs
        // every response then waits ~40 ms. Read once, when the JDK server is first used; only the
        // sandbox uses that server in this process.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(LOOPBACK, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the Clever sandbox to port " + port, e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
        server.createContext("/", handler);
        server.setExecutor(executor);
        server.start();
        CleverSandbox sandbox = new CleverSandbox(district, token, server, executor, handler);
        log.info("Clever sandbox for district {} listening on port {}", district.id(), sandbox.port());
        return sandbox;
    }

    /** {@code http://127.0.0.1:<port>}, without trailing slash or API version. */
    public String baseUrl() {
        return "http://" + LOOPBACK + ":" + port;
    }

    public int port() {
        return port;
    }

    public SandboxDistrict district() {
        return district;
    }

    public String token() {
        return token;
    }

    /**
     * Rotates the district token, as a district admin or Clever does: from the next request on only the
     * new token is accepted, and the old one gets 401.
     */
    public void rotateToken(String newToken) {
        if (newToken == null || newToken.isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
        handler.token(newToken);
        this.token = newToken;
    }

    /**
     * Also serves {@code endpoint} (e.g. v3.1 attendance), from the next request on: behind the same token, the same
     * per-token rate limit and the same faults as the roster, since Clever counts every request of a token alike.
     */
    public void serve(CleverEndpoint endpoint) {
        handler.serve(Objects.requireNonNull(endpoint, "endpoint"));
    }

    /**
     * From now on keeps the bytes of each list page it serves and answers the same request with them while the
     * district is unchanged, instead of rendering the page again: the same answers, without the sandbox's own
     * work. For a benchmark's sandbox, which renders its pages once before the clock starts; it holds every page
     * asked for.
     */
    public void keepPages() {
        handler.keepPages();
    }

    /** Requests served, whatever their status. */
    public long requestCount() {
        return handler.requestCount();
    }

    /** Requests answered with 429. */
    public long rateLimitedCount() {
        return handler.rateLimitedCount();
    }

    /**
     * Replaces the faults injected into list requests, from the next request on; {@link SandboxFaults#none()}
     * turns them off. Restarts the fault sequence, so the same faults set again yield the same faults again.
     * Thread-safe: requests already being answered keep the faults they were given.
     */
    public void faults(SandboxFaults faults) {
        handler.faults(Objects.requireNonNull(faults, "faults"));
        log.debug("Clever sandbox on port {} now injects {}", port, faults);
    }

    /**
     * Changes the district once, just before the first request matching {@code request} (its path and query,
     * e.g. {@code "/v3.0/users?role=student&limit=50&starting_after=…"}) is served: what a district's SIS does
     * while a client is in the middle of reading a list. Runs on the thread serving that request.
     */
    public void beforeServing(Predicate<String> request, Runnable change) {
        handler.beforeServing(Objects.requireNonNull(request, "request"), Objects.requireNonNull(change, "change"));
    }

    /** Faulty responses served since start (a slow one counts when its wait begins). */
    public long faultsInjected() {
        return handler.faultsInjected();
    }

    /**
     * Stops at once: open exchanges are cut rather than awaited, since nothing depends on a clean finish;
     * slow responses still waiting are woken and end without an answer.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        handler.shutdown();
        server.stop(0);
        executor.shutdownNow();
        log.info("Clever sandbox on port {} stopped after {} requests", port, requestCount());
    }

    /** Daemon threads, so a sandbox someone forgot to close never keeps a JVM alive. */
    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "clever-sandbox-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

package com.cleversync.sandbox.aeries;

import com.cleversync.sandbox.RateLimitWindow;
import com.cleversync.sandbox.SandboxFaults;
import com.cleversync.sandbox.attendance.AttendanceSchool;
import com.cleversync.sandbox.attendance.AttendanceStudent;
import com.cleversync.sandbox.attendance.AttendanceYear;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulator of a district's Aeries SIS (API v5) serving an {@link AttendanceYear} over loopback HTTP: the
 * {@code AERIES-CERT} certificate, schools with negative attendance reporting, each school's own absence-code
 * letters, students with the three ids a client may match to Clever on, and attendance by date range, where a day
 * corrected back to present disappears. On demand it misbehaves with the {@link SandboxFaults} the other
 * simulators inject, and it can enforce a polite rate limit Aeries itself does not document.
 *
 * <p>Paths, served under {@link #baseUrl()}: {@code /api/v5/schools}, {@code /api/v5/schools/{SchoolCode}},
 * {@code …/AbsenceCodes}, {@code …/students?StartingRecord=&EndingRecord=},
 * {@code …/attendance?StartDate=yyyyMMdd&EndDate=yyyyMMdd} and {@code …/attendance/{StudentID}?…}; every one takes
 * {@code DatabaseYear}, and only the year's own database (the calendar year of its first day) exists.
 */
public final class AeriesSandbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AeriesSandbox.class);
    private static final int THREADS = 4;
    /** A literal, so the bound address always matches {@link #baseUrl()}. */
    private static final String LOOPBACK = "127.0.0.1";

    private final AttendanceYear year;
    private final HttpServer server;
    private final ExecutorService executor;
    private final AeriesApi api;
    private final AtomicLong requests;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private AeriesSandbox(AttendanceYear year, HttpServer server, ExecutorService executor, AeriesApi api,
                          AtomicLong requests) {
        this.year = year;
        this.server = server;
        this.executor = executor;
        this.api = api;
        this.requests = requests;
        this.port = server.getAddress().getPort();
    }

    /** Starts serving on 127.0.0.1, on {@link Settings#port()} (0: any free port). */
    public static AeriesSandbox start(AttendanceYear year, Settings settings) {
        Objects.requireNonNull(year, "year");
        Objects.requireNonNull(settings, "settings");
        // see CleverSandbox: without it every response of the JDK server waits ~40 ms for a delayed ACK
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(LOOPBACK, settings.port()), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the Aeries sandbox to port " + settings.port(), e);
        }
        AtomicLong requests = new AtomicLong();
        RateLimitWindow window = settings.requestsPerMinute() == 0 ? null : new RateLimitWindow(settings.requestsPerMinute());
        AeriesApi api = new AeriesApi(year, settings.certificate(), window, requests);
        server.createContext("/", api);
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
        server.setExecutor(executor);
        server.start();
        AeriesSandbox sandbox = new AeriesSandbox(year, server, executor, api, requests);
        // the port only: never the certificate
        log.info("Aeries sandbox listening on port {}", sandbox.port());
        return sandbox;
    }

    /** {@code http://127.0.0.1:<port>}: what a client configures as the district's Aeries address (up to {@code /api}). */
    public String baseUrl() {
        return "http://" + LOOPBACK + ":" + port;
    }

    public int port() {
        return port;
    }

    public AttendanceYear year() {
        return year;
    }

    /** The school's Aeries {@code SchoolCode}. */
    public int schoolCode(AttendanceSchool school) {
        return api.directory().code(school);
    }

    /** The student's Aeries permanent id: {@code StudentID} in attendance, {@code PermanentID} in the students list. */
    public long studentId(AttendanceStudent student) {
        return AeriesDirectory.permanentId(student);
    }

    /** Requests served, whatever their status. */
    public long requestCount() {
        return requests.get();
    }

    /** Requests answered with 429, the polite limit's and injected bursts alike. */
    public long rateLimitedCount() {
        return api.rateLimitedCount();
    }

    /**
     * Replaces the faults injected into list requests (every answer that is an array) from the next request on,
     * restarting their sequence; {@link SandboxFaults#none()} turns them off.
     */
    public void faults(SandboxFaults faults) {
        api.faults(Objects.requireNonNull(faults, "faults"));
    }

    public long faultsInjected() {
        return api.faultsInjected();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        api.shutdown();
        server.stop(0);
        executor.shutdownNow();
        log.info("Aeries sandbox on port {} stopped after {} requests", port, requestCount());
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "aeries-sandbox-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * How the simulated Aeries site is set up.
     *
     * @param certificate       the 32-character {@code AERIES-CERT} (letters and digits, case-sensitive); a secret:
     *                          never logged, masked in {@link #toString()}, never quoted in an error
     * @param requestsPerMinute a polite limit per minute of the district's clock (429 with {@code Retry-After}
     *                          beyond it), or 0 for none, as Aeries documents none (the default)
     * @param port              the port to listen on, 0 for any free port (the default)
     */
    public record Settings(String certificate, int requestsPerMinute, int port) {

        public Settings {
            if (certificate == null || !certificate.matches("[A-Za-z0-9]{32}")) {
                throw new IllegalArgumentException("the certificate must be 32 letters or digits");
            }
            if (requestsPerMinute < 0) {
                throw new IllegalArgumentException("requestsPerMinute must be 0 (no limit) or more");
            }
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535");
            }
        }

        public static Settings defaults() {
            return new Settings("SandboxAeriesCert0123456789abcde", 0, 0);
        }

        public Settings withCertificate(String certificate) {
            return new Settings(certificate, requestsPerMinute, port);
        }

        public Settings withRequestsPerMinute(int requestsPerMinute) {
            return new Settings(certificate, requestsPerMinute, port);
        }

        public Settings withPort(int port) {
            return new Settings(certificate, requestsPerMinute, port);
        }

        @Override
        public String toString() {
            return "Settings[certificate=****, requestsPerMinute=" + requestsPerMinute + ", port=" + port + "]";
        }
    }
}

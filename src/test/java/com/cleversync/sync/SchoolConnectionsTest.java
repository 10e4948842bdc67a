package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.ChildSync;
import com.cleversync.CleverSyncApplication;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * School databases are used only when needed: startup neither migrates nor waits for them (one that
 * never answers delays nothing), each school is migrated on its first use, and a school that is not
 * being synced holds no connection (PostgreSQL's own count of its sessions).
 */
class SchoolConnectionsTest {
    private static final String TOKEN = "connections-token";
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(20);
    static CleverSandbox sandbox;
    static SilentDatabase silent;
    static ConfigurableApplicationContext app;
    static final List<String> postgres = new ArrayList<>();
    static long startupMillis;

    @BeforeAll
    static void start() throws Exception {
        TestDatabases.requirePostgres();
        sandbox = CleverSandbox.start(new SandboxDistrict(new SandboxSize(6, 60, 6, 3, 12, 6, 2, 4, 11L)), TOKEN, 0, 1200);
        silent = new SilentDatabase();
        List<String> ids = sandbox.district().records(SandboxResource.SCHOOLS).map(s -> s.get("id").asText()).toList();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("camel.main.run-controller", "false");
        config.put("spring.main.web-application-type", "none");
        config.put("cleversync.sandbox.enabled", "false");
        config.put("cleversync.clever.base-url", sandbox.baseUrl());
        config.put("cleversync.sync.connection-timeout", CONNECTION_TIMEOUT.toSeconds() + "s");
        for (int i = 0; i < 3; i++) {
            postgres.add(TestDatabases.postgres("connections_" + i));
            school(config, "live", "pg" + i, ids.get(i), postgres.get(i));
        }
        // a district whose every school database accepts connections and never answers, as a dead network would
        for (int i = 0; i < 3; i++) {
            school(config, "silent", "s" + i, ids.get(3 + i),
                    "jdbc:postgresql://127.0.0.1:" + silent.port() + "/nothing?loginTimeout=3600&socketTimeout=3600");
        }
        long begin = System.nanoTime();
        app = new SpringApplicationBuilder(CleverSyncApplication.class).run(config.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
        startupMillis = (System.nanoTime() - begin) / 1_000_000;
    }

    @AfterAll
    static void stop() throws IOException {
        if (app != null) {
            app.close();
        }
        sandbox.close();
        silent.close();
    }

    @Test
    void startupWaitsForNoSchoolDatabaseAndASchoolNotBeingSyncedHoldsNoConnection() throws Exception {
        // before: startup migrated the schools one after another, each silent one waiting out its timeout
        assertThat(startupMillis).as("started before a single connection timeout ran out")
                .isLessThan(CONNECTION_TIMEOUT.toMillis());

        DistrictRun run = app.getBean(ProducerTemplate.class).requestBodyAndHeader("direct:sync-district", null,
                DistrictRuns.DISTRICT, "live", DistrictRun.class);

        assertThat(run.succeeded()).isTrue();
        assertThat(run.schools()).allSatisfy(s -> assertThat(s.written()).isPositive());
        long migrations = postgresMigrations();
        assertThat(schemaVersions()).as("every school migrated on its first use").containsExactly(migrations, migrations, migrations);
        // sooner than HikariCP's idle timeout (10 s) and its housekeeping (every 30 s) would close them
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (sessions() > 0) {
            assertThat(System.nanoTime()).as("the run's connections closed when it ended").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void aSigtermStopsTheServiceWithinKubernetesGracePeriodWhileItsSchoolDatabasesDoNotAnswer() throws Exception {
        for (String moment : List.of("Starting CleverSyncApplication", "Started CleverSyncApplication")) {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("cleversync.run-once", "false"); // the long-running service
            config.put("spring.main.web-application-type", "servlet");
            config.put("server.port", "0");
            config.put("cleversync.sandbox.enabled", "false");
            config.put("cleversync.clever.base-url", sandbox.baseUrl());
            config.put("cleversync.sync.connection-timeout", "60s");
            List<String> ids = sandbox.district().records(SandboxResource.SCHOOLS).map(s -> s.get("id").asText()).toList();
            for (int i = 0; i < 3; i++) {
                school(config, "silent", "s" + i, ids.get(3 + i),
                        "jdbc:postgresql://127.0.0.1:" + silent.port() + "/nothing?loginTimeout=3600&socketTimeout=3600");
            }
            try (ChildSync service = ChildSync.start(config, "256m")) {
                service.awaitWhileRunning(() -> service.output().contains(moment), Duration.ofSeconds(60));

                service.terminate();

                // the seeding threads wait on databases that never answer: they must not hold the JVM
                assertThat(service.awaitExit(Duration.ofSeconds(30))).as("%s, then SIGTERM:%n%s", moment, service.output())
                        .isEqualTo(143); // 128 + SIGTERM: the shutdown hooks ran and the JVM ended
            }
        }
    }

    private static void school(Map<String, String> config, String district, String school, String cleverId, String url) {
        String prefix = "cleversync.districts." + district;
        config.put(prefix + ".token", TOKEN);
        config.put(prefix + ".schedule", "0 0 2 1 1 ? 2099");
        config.put(prefix + ".schools." + school + ".clever-id", cleverId);
        config.put(prefix + ".schools." + school + ".jdbc-url", url);
        config.put(prefix + ".schools." + school + ".username", TestDatabases.POSTGRES_USER);
    }

    /** Sessions PostgreSQL has open to the live schools' databases. */
    private static long sessions() throws Exception {
        try (Connection c = DriverManager.getConnection(TestDatabases.POSTGRES_ADMIN_URL, TestDatabases.POSTGRES_USER, "");
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", postgres.stream().map(u -> u.substring(u.lastIndexOf('/') + 1)).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The PostgreSQL migrations the service ships (a directory on the tests' class path). */
    private static long postgresMigrations() throws Exception {
        Path folder = Path.of(SchoolConnectionsTest.class.getResource("/db/migration/postgresql").toURI());
        try (var files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
    }

    private static List<Long> schemaVersions() throws Exception {
        List<Long> versions = new ArrayList<>();
        for (String url : postgres) {
            try (Connection c = DriverManager.getConnection(url, TestDatabases.POSTGRES_USER, "");
                 ResultSet rs = c.createStatement().executeQuery(
                         "SELECT count(*) FROM flyway_schema_history WHERE success")) {
                rs.next();
                versions.add(rs.getLong(1));
            }
        }
        return versions;
    }

    /** A database server that accepts connections and never says a word. */
    static final class SilentDatabase implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();

        SilentDatabase() throws IOException {
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        accepted.add(server.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-database");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }
}

package com.cleversync.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.deploy.Dockerfile.Instruction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image {@code deploy/Dockerfile} builds: Spring Boot's extracted layers, run as a numeric
 * non-root user on a read-only root file system that writes only to its volumes, with a health check, and the
 * Application Insights agent attached only when a connection string is given.
 *
 * <p>Docker does not run on the development machine, so the image is built by {@link ImageBuild} from the
 * Dockerfile itself (its builder stage's RUN is run as written on the packaged jar, its COPY lines are laid out) and
 * started by {@link Container} with exactly its ENTRYPOINT, USER, WORKDIR, ENV and VOLUMEs, in namespaces of its own
 * (read-only root, loopback-only network, the entrypoint as PID 1). What stands in for the base image
 * {@code eclipse-temurin:17-jre} is this machine's Debian and JRE 17. Runs after {@code package}
 * ({@code ./mvnw -B verify}; alone: {@code ./mvnw -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=ContainerImageIT}).
 */
class ContainerImageIT {
    private static final Path DOCKERFILE = Path.of("deploy", "Dockerfile");
    private static final Duration RUN_ONCE = Duration.ofMinutes(4);
    private static final String DEMO_FINISHED = "district sandbox full sync (run-once) finished";
    private static final String ONEROSTER_DEMO_FINISHED = "district sandbox-oneroster full sync (run-once) finished";
    private static final String ATTENDANCE_DEMO_FINISHED = "district sandbox attendance sync (run-once) finished";
    /**
     * The demo's schools, each in its Clever district (roster, then attendance) and in its OneRoster district,
     * whichever finishes first.
     */
    private static final String[] DEMO_SCHOOLS = {"school-1 SUCCEEDED", "school-2 SUCCEEDED", "school-3 SUCCEEDED",
        "school-1 SUCCEEDED", "school-2 SUCCEEDED", "school-3 SUCCEEDED",
        "school-1 SUCCEEDED", "school-2 SUCCEEDED", "school-3 SUCCEEDED"};
    private static final Pattern SCHOOL_LINE = Pattern.compile("(?m)^\\s+(school-\\d)\\s+(\\w+)\\s");
    /** How a write to the read-only root, or to a directory the user does not own, would show in the log. */
    private static final Pattern WRITE_REFUSED = Pattern.compile("Read-only file system|Permission denied|AccessDeniedException");
    private static final String LAYER = "/layers/extracted/";

    @TempDir
    static Path work;
    private static Dockerfile dockerfile;
    private static Image image;

    @BeforeAll
    static void buildTheImage() throws Exception {
        requireNamespaces();
        dockerfile = Dockerfile.read(DOCKERFILE);
        image = ImageBuild.build(dockerfile, Path.of("").toAbsolutePath(), work.resolve("build"));
    }

    @Test
    void theImageIsSpringBootsLayeredJarTheApplicationLayerLast() throws IOException {
        assertThat(dockerfile.stages()).extracting(Dockerfile.Stage::baseImage)
                .containsOnly("eclipse-temurin:17-jre");
        assertThat(dockerfile.stage("layers").all("RUN")).extracting(Instruction::arguments)
                .anyMatch(run -> run.startsWith("java -Djarmode=tools -jar cleversync.jar extract --layers --destination extracted "));

        List<String> copied = new ArrayList<>();
        for (Instruction copy : dockerfile.image().all("COPY")) {
            String source = copy.operands().split("\\s+")[0];
            copied.add(source.startsWith(LAYER) ? source.substring(LAYER.length()).replace("/", "") : source);
        }
        assertThat(copied).as("every layer, the ones that change least first")
                .containsSubsequence("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")
                .last().isEqualTo("application");

        Path app = image.files().resolve("app");
        try (JarFile jar = new JarFile(app.resolve("cleversync.jar").toFile())) {
            Attributes manifest = jar.getManifest().getMainAttributes();
            assertThat(manifest.getValue("Main-Class")).isEqualTo("com.cleversync.CleverSyncApplication");
            List<String> classPath = List.of(manifest.getValue("Class-Path").split(" "));
            assertThat(classPath).hasSizeGreaterThan(100).allMatch(entry -> entry.startsWith("lib/"));
            assertThat(classPath).allMatch(entry -> Files.isRegularFile(app.resolve(entry)), "is in the image");
            assertThat(jar.getEntry("com/cleversync/CleverSyncApplication.class")).isNotNull();
        }
        assertThat(app.resolve("applicationinsights-agent.jar")).isRegularFile();
        assertThat(Files.isExecutable(app.resolve("entrypoint.sh"))).as("entrypoint.sh is executable").isTrue();
        assertThat(image.entrypoint()).containsExactly("/app/entrypoint.sh");
    }

    @Test
    void theRouteTemplatesShipInsideTheApplicationNotInAFolderOfTheImage() throws IOException {
        try (JarFile jar = new JarFile(image.files().resolve("app/cleversync.jar").toFile())) {
            assertThat(jar.stream().map(JarEntry::getName).filter(name -> name.matches("routes/[^/]+\\.camel\\.yaml")))
                    .as("the route templates in the jar (classpath routes/*.camel.yaml): the image has no routes/ folder")
                    .containsExactlyInAnyOrder("routes/district-schedule.camel.yaml", "routes/school-writer.camel.yaml");
        }
        assertThat(image.files().resolve("app/routes")).doesNotExist();
        assertThat(image.env()).doesNotContainKey("CLEVERSYNC_ROUTES_DIR");
    }

    @Test
    void itRunsAsANumericNonRootUserWhoCannotChangeItsOwnCode() throws IOException {
        assertThat(image.user()).as("numeric, so that Kubernetes' runAsNonRoot can check it").matches("\\d+:\\d+");
        int uid = Integer.parseInt(image.user().split(":")[0]);
        assertThat(uid).isNotZero();
        assertThat(image.workdir()).isEqualTo("/app");
        assertThat(image.volumes()).containsExactlyInAnyOrder("/tmp", "/app/data");
        assertThat(image.exposedPorts()).containsExactly(8080);

        Path app = image.files().resolve("app");
        try (Stream<Path> files = Files.walk(app)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.startsWith(app.resolve("data"))) {
                    continue;
                }
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
                assertThat((Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)).as("owner of %s", file).isZero();
                assertThat(mode).as("mode of %s", file).doesNotContain(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
            }
        }
        assertThat((Integer) Files.getAttribute(app.resolve("data"), "unix:uid")).as("/app/data, the volume's owner").isEqualTo(uid);
    }

    @Test
    void theSandboxDemoRunsOnceOnAReadOnlyRootFileSystemWritingOnlyToItsVolumes() throws Exception {
        try (Container container = Container.run(image, work.resolve("demo"), Map.of(), Map.of(),
                List.of("--cleversync.run-once=true"))) {
            int exit = container.awaitExit(RUN_ONCE);
            String output = container.output();
            assertThat(exit).as(output).isZero();
            assertThat(output).contains(DEMO_FINISHED, ATTENDANCE_DEMO_FINISHED, ONEROSTER_DEMO_FINISHED,
                    "run-once finished: 2 of 2 districts fully succeeded").doesNotContain("Application Insights");
            assertThat(schools(output)).containsExactlyInAnyOrder(DEMO_SCHOOLS);
            assertThat(WRITE_REFUSED.matcher(output).find()).as("a refused write in\n%s", output).isFalse();

            assertThat(names(container.volume("/app/data")))
                    .containsExactlyInAnyOrder("sandbox-school-1.mv.db", "sandbox-school-2.mv.db", "sandbox-school-3.mv.db",
                            "sandbox-oneroster-school-1.mv.db", "sandbox-oneroster-school-2.mv.db",
                            "sandbox-oneroster-school-3.mv.db");
            // Tomcat's work directory (and the JVM's hsperfdata while it runs): what an emptyDir's sizeLimit must hold
            assertThat(names(container.volume("/tmp"))).allMatch(name -> name.startsWith("tomcat.8080.") || name.startsWith("hsperfdata_"));
        }
    }

    @Test
    void theHealthCheckPassesOnceTheServiceIsReadyAndDockerStopShutsItDownGracefully() throws Exception {
        Image.Healthcheck healthcheck = image.healthcheck();
        assertThat(healthcheck).as("HEALTHCHECK").isNotNull();
        assertThat(String.join(" ", healthcheck.command())).contains("/actuator/health/readiness");
        try (Container container = Container.run(image, work.resolve("service"), Map.of(), Map.of(), List.of())) {
            Path proc = Path.of("/proc", Long.toString(container.pid()));
            // the entrypoint exec'd java, so the JVM itself is PID 1 and receives docker stop's SIGTERM
            container.awaitWhileRunning(() -> Files.readString(proc.resolve("cmdline")).startsWith("java\0-jar\0/app/cleversync.jar"),
                    Duration.ofSeconds(30));
            assertThat(Files.readString(proc.resolve("status"))).as("PID 1 runs as the image's user")
                    .containsPattern("(?m)^Uid:\\s+" + image.user().split(":")[0] + "\\s");

            // Docker counts no failure within the start period, and calls the container unhealthy after `retries`
            // failures in a row after it; the probe runs here every second instead of every `interval`
            List<Integer> probes = new ArrayList<>();
            long deadline = System.nanoTime() + healthcheck.startPeriod().plus(healthcheck.interval()
                    .multipliedBy(healthcheck.retries())).toNanos();
            while (probes.isEmpty() || probes.get(probes.size() - 1) != 0) {
                assertThat(System.nanoTime()).as("healthy before Docker would call it unhealthy:\n%s", container.output())
                        .isLessThan(deadline);
                assertThat(container.isRunning()).as(container.output()).isTrue();
                probes.add(container.exec(healthcheck.command(), healthcheck.timeout()).exitCode());
                Thread.sleep(1000);
            }
            assertThat(probes.get(0)).as("unhealthy while it starts").isNotZero();

            // the startup sync ends before the stop, as a schedule's run would
            container.awaitWhileRunning(() -> container.output().contains("district sandbox full sync (startup) finished")
                    && container.output().contains("district sandbox attendance sync (startup) finished")
                    && container.output().contains("district sandbox-oneroster full sync (startup) finished"),
                    Duration.ofMinutes(2));
            assertThat(schools(container.output())).containsExactlyInAnyOrder(DEMO_SCHOOLS);
            // Docker waits 10 s after SIGTERM before it kills; the JVM exits 128 + 15 once its shutdown hooks ran
            assertThat(container.stop(Duration.ofSeconds(10))).as(container.output()).isEqualTo(143);
            assertThat(container.output()).contains("Graceful shutdown complete");
            assertThat(WRITE_REFUSED.matcher(container.output()).find()).as(container.output()).isFalse();
        }
    }

    @Test
    void withAnApplicationInsightsConnectionStringTheAgentIsAttachedAndTheRunIsUnaffected() throws Exception {
        // a dead port on loopback: the container's network has nothing else, so no telemetry can leave
        Map<String, String> connectionString = Map.of("APPLICATIONINSIGHTS_CONNECTION_STRING",
                "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/");
        try (Container container = Container.run(image, work.resolve("agent"), connectionString, Map.of(),
                List.of("--cleversync.run-once=true"))) {
            int exit = container.awaitExit(RUN_ONCE);
            String output = container.output();
            assertThat(exit).as(output).isZero();
            assertThat(output).contains("Application Insights Java Agent 3.5.3 started successfully", DEMO_FINISHED,
                    ONEROSTER_DEMO_FINISHED);
            assertThat(schools(output)).containsExactlyInAnyOrder(DEMO_SCHOOLS);
            assertThat(WRITE_REFUSED.matcher(output).find()).as(output).isFalse();
            assertThat(container.volume("/tmp").resolve("applicationinsights.log")).as("the agent's own log, on the /tmp volume")
                    .isRegularFile();
        }
    }

    @Test
    void routeTemplatesMountedReadOnlyAndNamedByCleverSyncRoutesDirOverrideTheBuiltInOnes() throws Exception {
        // an operator's folder starts as a copy of the built-in templates: the jar's (the repository's routes/ before)
        Path routes = Files.createDirectories(work.resolve("operator-routes"));
        try (JarFile jar = new JarFile(image.files().resolve("app/cleversync.jar").toFile())) {
            for (String template : List.of("district-schedule.camel.yaml", "school-writer.camel.yaml")) {
                JarEntry entry = jar.getJarEntry("routes/" + template);
                if (entry == null) {
                    Files.copy(Path.of("routes", template), routes.resolve(template));
                } else {
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.copy(in, routes.resolve(template));
                    }
                }
            }
        }
        String writer = Files.readString(routes.resolve("school-writer.camel.yaml"));
        String step = "        - to: \"bean:schoolWriter?method=write\"\n";
        assertThat(writer).contains(step);
        Files.writeString(routes.resolve("school-writer.camel.yaml"),
                writer.replace(step, "        - log: \"operator's school-writer: a batch for {{schoolRoute}}\"\n" + step));

        try (Container container = Container.run(image, work.resolve("routes"), Map.of("CLEVERSYNC_ROUTES_DIR", "/app/routes"),
                Map.of("/app/routes", routes), List.of("--cleversync.run-once=true"))) {
            int exit = container.awaitExit(RUN_ONCE);
            String output = container.output();
            assertThat(exit).as(output).isZero();
            assertThat(output).contains("operator's school-writer: a batch for school-sandbox-school-1", DEMO_FINISHED);
            assertThat(WRITE_REFUSED.matcher(output).find()).as(output).isFalse();
        }
    }

    private static List<String> schools(String output) {
        List<String> schools = new ArrayList<>();
        Matcher m = SCHOOL_LINE.matcher(output);
        while (m.find()) {
            schools.add(m.group(1) + " " + m.group(2));
        }
        return schools;
    }

    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** Mount, network and PID namespaces need root: fails in CI without them, skips elsewhere. */
    private static void requireNamespaces() throws IOException, InterruptedException {
        boolean root = Files.readString(Path.of("/proc/self/status"), StandardCharsets.UTF_8).matches("(?s).*\nUid:\\s+0\\s.*");
        Process probe = new ProcessBuilder("unshare", "--mount", "--net", "--pid", "--fork", "sh", "-c",
                "command -v nsenter setpriv chroot ip > /dev/null").redirectErrorStream(true).start();
        boolean works = root && probe.waitFor() == 0;
        if (!works) {
            String why = "ContainerImageIT needs root, unshare, nsenter, setpriv, chroot and ip (util-linux, coreutils, iproute2)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("CI=true but " + why + ": " + new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            Assumptions.assumeTrue(false, why + ": test skipped");
        }
    }
}

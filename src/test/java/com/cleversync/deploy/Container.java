package com.cleversync.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A container of an {@link Image} as {@code docker run --read-only} starts one, run without Docker by
 * {@code src/test/resources/deploy/container.sh}: ENTRYPOINT and CMD (or the given arguments) as the image's USER in
 * its WORKDIR, with the base image's environment, the image's ENV and the given variables, every VOLUME a fresh
 * writable directory initialised as Docker initialises one (the image's owner and mode at that path), and nothing
 * else writable. The command is the container's PID 1.
 */
final class Container implements AutoCloseable {
    static final Path SCRIPT = Path.of("src", "test", "resources", "deploy", "container.sh");

    /**
     * What {@code eclipse-temurin:17-jre} sets (its Dockerfile), with this machine's JRE and UTF-8 locale standing in
     * for Temurin's JRE and {@code en_US.UTF-8}; HOME is what Docker gives a user that {@code /etc/passwd} does not list.
     */
    private static final Map<String, String> BASE_ENVIRONMENT = Map.of(
            "PATH", "/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "JAVA_HOME", "/opt/java/openjdk",
            "LANG", "C.UTF-8", "LANGUAGE", "en_US:en", "LC_ALL", "C.UTF-8",
            "HOME", "/", "HOSTNAME", "cleversync-test");

    private final Process runtime;
    private final long pid;
    private final Path output;
    private final Map<String, String> scriptEnvironment;
    private final Map<String, Path> volumes;

    private Container(Process runtime, long pid, Path output, Map<String, String> scriptEnvironment, Map<String, Path> volumes) {
        this.runtime = runtime;
        this.pid = pid;
        this.output = output;
        this.scriptEnvironment = scriptEnvironment;
        this.volumes = volumes;
    }

    /**
     * {@code docker run --read-only [-e NAME=value…] [-v host:path:ro…] image [arguments…]}.
     *
     * @param readOnlyMounts host directories mounted read-only (as a ConfigMap is), by the container path
     */
    static Container run(Image image, Path workRoot, Map<String, String> environment, Map<String, Path> readOnlyMounts,
                         List<String> arguments) throws IOException, InterruptedException {
        Files.createDirectories(workRoot);
        Map<String, String> env = new LinkedHashMap<>(BASE_ENVIRONMENT);
        env.putAll(image.env());
        env.putAll(environment);
        Path envFile = workRoot.resolve("environment");
        Files.write(envFile, env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());

        Map<String, Path> volumes = new LinkedHashMap<>();
        List<String> mounts = new ArrayList<>();
        for (String path : image.volumes()) {
            Path volume = Files.createDirectories(workRoot.resolve("volumes").resolve(path.substring(1).replace('/', '-')));
            initialiseLikeDocker(volume, image.files().resolve(path.substring(1)));
            volumes.put(path, volume);
            mounts.add(volume + ":" + path);
        }
        // the container's own layer over the image's: where the runtime creates the mount points the image lacks
        Path layer = linkedCopy(image.files(), workRoot.resolve("layer"));
        for (Map.Entry<String, Path> mount : readOnlyMounts.entrySet()) {
            Files.createDirectories(layer.resolve(mount.getKey().substring(1)));
            mounts.add(mount.getValue() + ":" + mount.getKey() + ":ro");
        }

        Map<String, String> scriptEnvironment = new LinkedHashMap<>();
        scriptEnvironment.put("CONTAINER_ROOT", Files.createDirectories(workRoot.resolve("root")).toString());
        scriptEnvironment.put("CONTAINER_IMAGE", layer.toString());
        scriptEnvironment.put("CONTAINER_JAVA_HOME", System.getProperty("java.home"));
        scriptEnvironment.put("CONTAINER_USER", image.user().contains(":") ? image.user() : image.user() + ":" + image.user());
        scriptEnvironment.put("CONTAINER_WORKDIR", image.workdir());
        scriptEnvironment.put("CONTAINER_ENV", envFile.toString());
        scriptEnvironment.put("CONTAINER_VOLUMES", String.join(" ", mounts));

        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--net", "--pid", "--fork",
                "bash", SCRIPT.toString(), "start", "--"));
        command.addAll(image.entrypoint());
        command.addAll(arguments.isEmpty() ? image.cmd() : arguments);
        Path output = workRoot.resolve("output.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(scriptEnvironment);
        Process runtime = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Optional<ProcessHandle> pid1 = Optional.empty();
        while (pid1.isEmpty() && runtime.isAlive() && System.nanoTime() < deadline) {
            pid1 = runtime.toHandle().children().findFirst();
            Thread.sleep(10);
        }
        if (pid1.isEmpty()) {
            runtime.destroyForcibly();
            throw new IllegalStateException("the container did not start:\n" + Files.readString(output, StandardCharsets.UTF_8));
        }
        return new Container(runtime, pid1.get().pid(), output, scriptEnvironment, volumes);
    }

    /** The image's tree with its directories copied (owner and mode kept) and its files hard-linked. */
    private static Path linkedCopy(Path from, Path to) throws IOException {
        try (Stream<Path> tree = Files.walk(from)) {
            for (Path source : (Iterable<Path>) tree::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(source));
                    ImageBuild.chown(target, ImageBuild.ownerOf(source));
                } else {
                    Files.createLink(target, source);
                }
            }
        }
        return to;
    }

    /** A new volume holds what the image has at its path, with the same owner and mode ({@code /tmp}: 1777, root). */
    private static void initialiseLikeDocker(Path volume, Path inImage) throws IOException {
        if (Files.isDirectory(inImage)) {
            try (Stream<Path> contents = Files.list(inImage)) {
                if (contents.findAny().isPresent()) {
                    throw new IllegalStateException(inImage + ": a volume over files of the image hides them");
                }
            }
            Files.setPosixFilePermissions(volume, Files.getPosixFilePermissions(inImage));
            ImageBuild.chown(volume, ImageBuild.ownerOf(inImage));
        } else {
            Files.setAttribute(volume, "unix:mode", 01777);
        }
    }

    /** The host's process id of the container's PID 1. */
    long pid() {
        return pid;
    }

    /** The host directory behind one of the image's VOLUMEs. */
    Path volume(String path) {
        return volumes.get(path);
    }

    /** {@code docker exec}: the command in the container, as its user, with its environment. */
    Exec exec(List<String> command, Duration timeout) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("bash", SCRIPT.toString(), "exec", Long.toString(pid), "--"));
        line.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        builder.environment().putAll(scriptEnvironment);
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            return new Exec(-1, "(timed out after " + timeout + ")");
        }
        return new Exec(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    record Exec(int exitCode, String output) {
    }

    /** {@code docker stop}: SIGTERM to PID 1; the exit status, or -1 if it was still running after the grace period. */
    int stop(Duration grace) throws InterruptedException {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        return awaitExit(grace);
    }

    /** The container's exit status, or -1 if it is still running after the deadline. */
    int awaitExit(Duration deadline) throws InterruptedException {
        return runtime.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS) ? runtime.exitValue() : -1;
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls until the condition holds, failing with the container's output if it exits first or time runs out. */
    void awaitWhileRunning(Condition condition, Duration deadline) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        while (!holds(condition)) {
            if (!isRunning()) {
                throw new IllegalStateException("the container exited (" + runtime.exitValue() + ") too early:\n" + output());
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException("condition not reached within " + deadline + ":\n" + output());
            }
            Thread.sleep(200);
        }
    }

    /** A condition that fails (a /proc file gone) counts as not yet, until the container turns out to have exited. */
    private static boolean holds(Condition condition) {
        try {
            return condition.holds();
        } catch (Exception e) {
            return false;
        }
    }

    boolean isRunning() {
        return runtime.isAlive();
    }

    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    /** Kills what is left (SIGKILL to PID 1 ends every process in the container). */
    @Override
    public void close() throws InterruptedException {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        runtime.destroyForcibly();
        runtime.waitFor(30, TimeUnit.SECONDS);
    }
}

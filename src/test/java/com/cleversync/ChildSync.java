package com.cleversync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CleverSync run once in a JVM of its own ({@code cleversync.run-once=true}), so that a test or a
 * benchmark can kill it outright (SIGKILL: no shutdown hook, no graceful anything) in the middle of
 * a sync, as a crash or an OOM-killed container would.
 */
public final class ChildSync implements AutoCloseable {
    private static final Pattern FINISHED = Pattern.compile("finished in ([0-9.]+) s");

    private final Process process;
    private final Path output;

    private ChildSync(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code java -Xmx… CleverSyncApplication --cleversync.run-once=true --key=value…}. */
    public static ChildSync start(Map<String, String> properties, String maxHeap) {
        return start(properties, maxHeap, Path.of("").toAbsolutePath());
    }

    /** The same, in another working directory (as {@code java -jar} started from anywhere). */
    public static ChildSync start(Map<String, String> properties, String maxHeap, Path workingDirectory) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-cp", ManagementFactory.getRuntimeMXBean().getClassPath(),
                CleverSyncApplication.class.getName()));
        Map<String, String> arguments = new LinkedHashMap<>(Map.of("cleversync.run-once", "true",
                "spring.main.web-application-type", "none"));
        arguments.putAll(properties);
        arguments.forEach((key, value) -> command.add("--" + key + "=" + value));
        try {
            Path output = Files.createTempFile("cleversync-child", ".log");
            Process process = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            return new ChildSync(process, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls the condition until it holds, failing if the child exits first or the deadline passes. */
    public void awaitWhileRunning(BooleanSupplier condition, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the child sync exited (" + process.exitValue() + ") too early:\n" + output());
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException("condition not reached within " + deadline + ":\n" + output());
            }
            Thread.sleep(20);
        }
    }

    /** The child's process id: with the host name, its replica name in sync_runs and the district leases. */
    public long pid() {
        return process.pid();
    }

    /** Asks the JVM to stop (SIGTERM, as Kubernetes and docker stop do); returns at once. */
    public void terminate() {
        process.destroy();
    }

    /** Kills the JVM at once (SIGKILL) and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for the run to end and returns its exit status (0: every school succeeded). */
    public int awaitExit(Duration deadline) throws InterruptedException {
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new IllegalStateException("the child sync did not finish within " + deadline + ":\n" + output());
        }
        return process.exitValue();
    }

    /** The run's own duration, from its summary line ("… finished in 12.3 s"). */
    public double reportedSeconds() {
        Matcher m = FINISHED.matcher(output());
        double seconds = -1;
        while (m.find()) {
            seconds = Double.parseDouble(m.group(1));
        }
        return seconds;
    }

    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        Files.deleteIfExists(output);
    }
}

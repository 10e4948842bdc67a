package com.cleversync.bench;

import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxFaults;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The benchmarks' Clever: the sandbox serving the benchmark district from a JVM of its own, as
 * Clever is another machine in production. The measured service then holds in its heap, and
 * collects, only what it allocates itself; the two still share this machine's CPU.
 *
 * <p>{@link #main} is the sandbox's side. It prints {@code listening <port>}, then answers one line
 * per command read from standard input: {@code faults on|off} (10 % 5xx and a burst of two 429s every
 * 40 requests) and {@code change <n>} ({@link BenchDistrict#change}). It ends with its input.
 */
final class SandboxProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader answers;
    private final PrintWriter commands;
    private final int port;

    private SandboxProcess(Process process) throws IOException {
        this.process = process;
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.port = Integer.parseInt(answer("listening"));
    }

    /** Starts the sandbox of a district of {@code students} students in a JVM of its own. */
    static SandboxProcess start(int students) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-Xmx1g", "-XX:+UseG1GC",
                "-cp", System.getProperty("java.class.path"), SandboxProcess.class.getName(), String.valueOf(students)))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        return new SandboxProcess(process);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Turns the injected faults on or off; returns "injected rateLimited requests" so far. */
    String faults(boolean on) throws IOException {
        commands.println("faults " + (on ? "on" : "off"));
        return answer("faults");
    }

    /** Makes {@code events} changes in the district (see {@link BenchDistrict#change}). */
    void change(int events) throws IOException {
        commands.println("change " + events);
        answer("changed");
    }

    @Override
    public void close() throws InterruptedException {
        commands.close();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private String answer(String expected) throws IOException {
        String line;
        while ((line = answers.readLine()) != null) {
            if (line.startsWith(expected)) {
                return line.substring(expected.length()).trim();
            }
        }
        throw new IOException("the sandbox process ended before answering '" + expected + "'");
    }

    public static void main(String[] args) throws IOException {
        BenchDistrict bench = new BenchDistrict(Integer.parseInt(args[0]));
        try (CleverSandbox sandbox = CleverSandbox.start(bench.district, BenchDistrict.TOKEN, 0, 1200)) {
            System.out.println("listening " + sandbox.port());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String command;
            while ((command = in.readLine()) != null) {
                String[] words = command.trim().split(" ");
                switch (words[0]) {
                    case "faults" -> {
                        sandbox.faults(words[1].equals("on")
                                ? SandboxFaults.none().withSeed(2026).withServerErrors(0.10)
                                        .withRateLimitBursts(40, 2, Duration.ofSeconds(1))
                                : SandboxFaults.none());
                        System.out.println("faults " + sandbox.faultsInjected() + " " + sandbox.rateLimitedCount()
                                + " " + sandbox.requestCount());
                    }
                    case "change" -> {
                        bench.change(Integer.parseInt(words[1]));
                        System.out.println("changed");
                    }
                    default -> throw new UncheckedIOException(new IOException("unknown command: " + command));
                }
            }
        }
    }
}

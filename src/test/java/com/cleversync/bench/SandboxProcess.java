package com.cleversync.bench;

import com.cleversync.clever.CleverPage;
import com.cleversync.clever.CleverRecord;
import com.cleversync.clever.CleverResource;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.aeries.AeriesSandbox;
import com.cleversync.sandbox.SandboxFaults;
import com.cleversync.sandbox.oneroster.OneRosterSandbox;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The benchmarks' Clever: the sandbox serving the benchmark district from a JVM of its own, as
 * Clever is another machine in production. The measured service then holds in its heap, and
 * collects, only what it allocates itself; the two still share this machine's CPU.
 *
 * <p>{@link #main} is the sandbox's side. It renders every list's pages once, as a sync of the page
 * size given asks for them, and keeps them ({@link CleverSandbox#keepPages}): Clever serves from
 * Clever's machines, so the sandbox's rendering is done before any clock starts and the two JVMs'
 * shared CPU goes to the service measured. It then prints {@code listening <port>} and answers one line
 * per command read from standard input: {@code faults on|off} (10 % 5xx and a burst of two 429s every
 * 40 requests) and {@code change <n>} ({@link BenchDistrict#change}; the events feed after the newest
 * event before the change is rendered before it answers). It ends with its input.
 *
 * <p>Started with {@code oneroster <students> <max-page-size>} ({@link #startOneRoster}), it serves the
 * same district from the OneRoster 1.2 simulator instead ({@link BenchDistrict#oneRosterSettings}: the
 * client id and secret are the benchmark's own, known to both sides and never printed), and prints
 * {@code oneroster <token-url>} after {@code listening}; the commands are the same.
 *
 * <p>Started with {@code aeries <students>} ({@link #startAeries}), it serves the attendance benchmark's
 * district ({@link AttendanceBench}): its roster from the Clever sandbox and its school year of attendance
 * from the Aeries simulator, and prints {@code aeries <base-url>} and one {@code school <clever-id>
 * <SchoolCode>} per school after {@code listening}.
 *
 * <p>With {@code -Dbench.sandbox.jfr=<file>} the sandbox's JVM records a JFR profile into that file.
 */
final class SandboxProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader answers;
    private final PrintWriter commands;
    private final int port;

    /** The OneRoster simulator's token endpoint; null for the Clever sandbox. */
    private final String tokenUrl;
    /** The Aeries simulator's base URL and each school's SchoolCode by Clever id; null and empty otherwise. */
    private final String aeriesUrl;
    private final Map<String, Integer> schoolCodes = new java.util.LinkedHashMap<>();

    private SandboxProcess(Process process, boolean oneRoster) throws IOException {
        this(process, oneRoster, 0);
    }

    private SandboxProcess(Process process, boolean oneRoster, int aeriesSchools) throws IOException {
        this.process = process;
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.port = Integer.parseInt(answer("listening"));
        this.tokenUrl = oneRoster ? answer("oneroster") : null;
        this.aeriesUrl = aeriesSchools > 0 ? answer("aeries") : null;
        for (int i = 0; i < aeriesSchools; i++) {
            String[] school = answer("school").split(" ");
            schoolCodes.put(school[0], Integer.valueOf(school[1]));
        }
    }

    /**
     * Starts the attendance benchmark's district of {@code students} students in a JVM of its own: its
     * roster from the Clever sandbox, its attendance from the Aeries simulator.
     */
    static SandboxProcess startAeries(int students) throws IOException {
        return new SandboxProcess(launch("aeries", String.valueOf(students)), false, AttendanceBench.SCHOOLS);
    }

    /** The Aeries simulator's base URL (up to /api). */
    String aeriesUrl() {
        return aeriesUrl;
    }

    /** Each school's Aeries SchoolCode, by its Clever id. */
    Map<String, Integer> schoolCodes() {
        return schoolCodes;
    }

    /**
     * Starts the Clever sandbox of a district of {@code students} students in a JVM of its own, its pages
     * of {@code pageSize} records rendered.
     */
    static SandboxProcess start(int students, int pageSize) throws IOException {
        return new SandboxProcess(launch(String.valueOf(students), String.valueOf(pageSize)), false);
    }

    /**
     * Starts the OneRoster 1.2 simulator of a district of {@code students} students in a JVM of its own,
     * serving pages of up to {@code maxPageSize} records.
     */
    static SandboxProcess startOneRoster(int students, int maxPageSize) throws IOException {
        return new SandboxProcess(launch("oneroster", String.valueOf(students), String.valueOf(maxPageSize)), true);
    }

    private static Process launch(String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx3g", "-XX:+UseG1GC"));
        String recording = System.getProperty("bench.sandbox.jfr");
        if (recording != null) { // profiling: where the sandbox's own time goes
            command.add("-XX:StartFlightRecording=filename=" + recording + ",settings=profile");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SandboxProcess.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Where the sandbox listens: {@code http://127.0.0.1:<port>}, which is also a OneRoster district's base-url. */
    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The OneRoster simulator's token endpoint. */
    String tokenUrl() {
        if (tokenUrl == null) {
            throw new IllegalStateException("the Clever sandbox has no token endpoint");
        }
        return tokenUrl;
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
        if (args[0].equals("aeries")) {
            AttendanceBench bench = new AttendanceBench(Integer.parseInt(args[1]));
            try (CleverSandbox roster = CleverSandbox.start(bench.district, BenchDistrict.TOKEN, 0, 1200);
                 AeriesSandbox aeries = AeriesSandbox.start(bench.year,
                         AeriesSandbox.Settings.defaults().withCertificate(AttendanceBench.CERTIFICATE))) {
                System.out.println("listening " + roster.port());
                System.out.println("aeries " + aeries.baseUrl());
                bench.year.schools().forEach(school -> System.out.println("school " + school.cleverId() + " "
                        + aeries.schoolCode(school)));
                serve(null, faults -> {
                    aeries.faults(faults);
                    return aeries.faultsInjected() + " " + aeries.rateLimitedCount() + " " + aeries.requestCount();
                }, NO_RENDERING);
            }
            return;
        }
        if (args[0].equals("oneroster")) {
            BenchDistrict bench = new BenchDistrict(Integer.parseInt(args[1]));
            try (OneRosterSandbox sandbox = OneRosterSandbox.start(bench.district,
                    BenchDistrict.oneRosterSettings(Integer.parseInt(args[2])))) {
                System.out.println("listening " + sandbox.port());
                System.out.println("oneroster " + sandbox.tokenUrl());
                serve(bench, faults -> {
                    sandbox.faults(faults);
                    return sandbox.faultsInjected() + " " + sandbox.rateLimitedCount() + " " + sandbox.requestCount();
                }, NO_RENDERING);
            }
            return;
        }
        BenchDistrict bench = new BenchDistrict(Integer.parseInt(args[0]));
        int pageSize = Integer.parseInt(args[1]);
        try (CleverSandbox sandbox = CleverSandbox.start(bench.district, BenchDistrict.TOKEN, 0, 1200)) {
            sandbox.keepPages();
            for (CleverResource list : CleverResource.LISTS) {
                render(sandbox, list, list.pageAfter(pageSize, null));
            }
            System.out.println("listening " + sandbox.port());
            serve(bench, faults -> {
                sandbox.faults(faults);
                return sandbox.faultsInjected() + " " + sandbox.rateLimitedCount() + " " + sandbox.requestCount();
            }, newestBefore -> render(sandbox, CleverResource.EVENTS, CleverResource.EVENTS.pageAfter(pageSize, newestBefore)));
        }
    }

    /** Asks the sandbox for a list's pages from {@code first} on, as a sync does, so that it keeps them. */
    private static void render(CleverSandbox sandbox, CleverResource list, String first) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        String next = first;
        try {
            while (next != null) {
                HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + next))
                        .header("Authorization", "Bearer " + BenchDistrict.TOKEN).build(), HttpResponse.BodyHandlers.ofInputStream());
                next = CleverPage.parse(list, next, response.body(), CleverRecord::id).next();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while rendering the sandbox's pages", e);
        }
    }

    /** What the sandbox renders after a change: the events after the newest one before it. */
    private interface AfterChange {
        void render(String newestEventBefore) throws IOException;
    }

    private static final AfterChange NO_RENDERING = newestEventBefore -> { };

    /**
     * Answers the commands read from standard input until it ends; {@code faults} sets the faults in force and
     * returns "injected rateLimited requests"; {@code change} then renders what {@code afterChange} asks for.
     */
    private static void serve(BenchDistrict bench, Function<SandboxFaults, String> faults, AfterChange afterChange)
            throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command;
        while ((command = in.readLine()) != null) {
            String[] words = command.trim().split(" ");
            switch (words[0]) {
                case "faults" -> System.out.println("faults " + faults.apply(words[1].equals("on")
                        ? SandboxFaults.none().withSeed(2026).withServerErrors(0.10)
                                .withRateLimitBursts(40, 2, Duration.ofSeconds(1))
                        : SandboxFaults.none()));
                case "change" -> {
                    if (bench == null) {
                        throw new UncheckedIOException(new IOException("this sandbox makes no changes"));
                    }
                    String newest = bench.district.newestEventId();
                    bench.change(Integer.parseInt(words[1]));
                    afterChange.render(newest);
                    System.out.println("changed");
                }
                default -> throw new UncheckedIOException(new IOException("unknown command: " + command));
            }
        }
    }
}

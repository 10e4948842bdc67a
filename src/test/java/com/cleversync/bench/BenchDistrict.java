package com.cleversync.bench;

import com.cleversync.TestDatabases;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import com.cleversync.sandbox.oneroster.OneRosterSandbox;
import com.cleversync.sync.DistrictRun;
import com.cleversync.sync.DistrictRuns;
import com.cleversync.sync.SchoolRun;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.camel.ProducerTemplate;

/**
 * The benchmarks' district: a generated sandbox district of 20 schools, all configured (students,
 * 1 teacher per 20 students, 1 staff per 200, 1 section of ~25 per 5 students, 4 terms, 200
 * courses), with fresh PostgreSQL school databases on localhost.
 */
final class BenchDistrict {
    static final int SCHOOLS = 20;
    static final String TOKEN = "bench-token";
    static final String KEY = "bench";
    /** The OneRoster simulator's client: the benchmark's own credentials, known to both sides. */
    static final String ONEROSTER_CLIENT_ID = "bench-client";
    static final String ONEROSTER_CLIENT_SECRET = "bench-secret";
    /** Far above a sync's pace: neither the simulator's limit nor the service's own is what a benchmark measures. */
    static final int ONEROSTER_REQUESTS_PER_MINUTE = 1_000_000;

    final int students;
    final SandboxDistrict district;
    final List<String> schoolIds;

    BenchDistrict(int students) {
        this.students = students;
        this.district = new SandboxDistrict(
                new SandboxSize(SCHOOLS, students, students / 20, students / 200, students / 5, 25, 4, 200, 2026L));
        this.schoolIds = district.records(SandboxResource.SCHOOLS).map(s -> s.get("id").asText()).toList();
    }

    /** Creates one empty PostgreSQL database per school. */
    List<String> freshDatabases(String prefix) {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < SCHOOLS; i++) {
            urls.add(TestDatabases.postgres(prefix + i));
        }
        return urls;
    }

    /** Changes students spread over all schools: 80 % updated, 10 % deleted, 10 % created. */
    void change(int events) {
        List<ObjectNode> picked = district.records(SandboxResource.STUDENTS).limit(events).toList();
        if (picked.size() < events) {
            throw new IllegalArgumentException("a district of " + students + " students cannot give " + events + " events");
        }
        for (int i = 0; i < events; i++) {
            ObjectNode student = picked.get(i);
            switch (i % 10) {
                case 0 -> district.delete(SandboxResource.STUDENTS, student.get("id").asText());
                case 1 -> district.put(SandboxResource.STUDENTS,
                        student.deepCopy().put("id", String.format("5a21ff%018x", i)));
                default -> {
                    ((ObjectNode) student.get("name")).put("last", "Updated-" + i);
                    district.put(SandboxResource.STUDENTS, student);
                }
            }
        }
    }

    /** CleverSync's configuration for this district against a sandbox at {@code baseUrl}. */
    Map<String, String> properties(String baseUrl, int pageSize, List<String> urls) {
        Map<String, String> p = common();
        p.put("cleversync.clever.base-url", baseUrl);
        p.put("cleversync.clever.page-size", String.valueOf(pageSize));
        p.put("cleversync.districts." + KEY + ".token", TOKEN);
        schools(p, "clever-id", urls);
        return p;
    }

    /**
     * CleverSync's configuration for this district as a OneRoster 1.2 district against the simulator at
     * {@code baseUrl} (see {@link #oneRosterSettings}), paged by {@code pageSize}.
     */
    Map<String, String> oneRosterProperties(String baseUrl, String tokenUrl, int pageSize, List<String> urls) {
        Map<String, String> p = common();
        String prefix = "cleversync.districts." + KEY;
        p.put(prefix + ".source", "oneroster");
        p.put(prefix + ".oneroster.base-url", baseUrl);
        p.put(prefix + ".oneroster.version", OneRosterSandbox.Settings.V1_2);
        p.put(prefix + ".oneroster.token-url", tokenUrl);
        p.put(prefix + ".oneroster.client-id", ONEROSTER_CLIENT_ID);
        p.put(prefix + ".oneroster.client-secret", ONEROSTER_CLIENT_SECRET);
        p.put(prefix + ".oneroster.page-size", String.valueOf(pageSize));
        p.put(prefix + ".oneroster.requests-per-minute", String.valueOf(ONEROSTER_REQUESTS_PER_MINUTE));
        schools(p, "source-id", urls);
        return p;
    }

    /** The OneRoster 1.2 simulator serving this district to {@link #oneRosterProperties}' client. */
    static OneRosterSandbox.Settings oneRosterSettings(int maxPageSize) {
        return OneRosterSandbox.Settings.defaults().withVersion(OneRosterSandbox.Settings.V1_2)
                .withClient(ONEROSTER_CLIENT_ID, ONEROSTER_CLIENT_SECRET)
                .withMaxPageSize(maxPageSize)
                .withRequestsPerMinute(ONEROSTER_REQUESTS_PER_MINUTE);
    }

    private static Map<String, String> common() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("spring.main.web-application-type", "none");
        p.put("camel.main.run-controller", "false");
        p.put("logging.level.com.cleversync", "WARN");
        p.put("logging.level.com.cleversync.sync.DistrictRuns", "INFO"); // the run's summary line
        p.put("cleversync.districts." + KEY + ".schedule", "0 0 2 1 1 ? 2099");
        return p;
    }

    /** Every school configured, by its source's id under {@code idKey}, into its database. */
    private void schools(Map<String, String> p, String idKey, List<String> urls) {
        for (int i = 0; i < SCHOOLS; i++) {
            String prefix = "cleversync.districts." + KEY + ".schools.s" + i;
            p.put(prefix + "." + idKey, schoolIds.get(i));
            p.put(prefix + ".jdbc-url", urls.get(i));
            p.put(prefix + ".username", TestDatabases.POSTGRES_USER);
        }
    }

    /** As command-line arguments, which take precedence over application.yaml. */
    static String[] arguments(Map<String, String> properties) {
        return properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    /** One run of the benchmark district ({@code full}, {@code incremental} or {@code attendance}) that every school must finish. */
    static DistrictRun sync(ProducerTemplate producer, String mode) {
        DistrictRun run = producer.requestBodyAndHeaders("direct:sync-district", null, Map.of(DistrictRuns.DISTRICT,
                KEY, DistrictRuns.TRIGGER, "benchmark", DistrictRuns.MODE, mode), DistrictRun.class);
        for (SchoolRun s : run.schools()) {
            if (s.status() != SchoolRun.Status.SUCCEEDED) {
                throw new IllegalStateException("school " + s.school().key() + " " + s.status() + ": " + s.errorSummary());
            }
        }
        return run;
    }

    /** A result and the peak of used heap while it was computed, sampled every 10 ms. */
    record Measured<T>(T result, double seconds, long peakHeapMb) {}

    static <T> Measured<T> measure(Supplier<T> work) throws InterruptedException {
        System.gc();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long start = System.nanoTime();
        T result = work.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        sampler.join();
        return new Measured<>(result, seconds, peak.get() / (1024 * 1024));
    }
}

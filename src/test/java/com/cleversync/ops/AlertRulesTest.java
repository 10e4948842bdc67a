package com.cleversync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The alert rules in {@code deploy/prometheus/alerts.yaml} are valid and fire as specified by their
 * unit tests ({@code alerts-test.yaml}: a school not synced for 26 h, a FAILED run, a breaker open
 * for 10 min, rejected records, a tripped mass-archive guard), run with Prometheus' own promtool.
 * That every series they use is one the service exports is checked against a real scrape in
 * {@link ManagementEndpointsTest}.
 */
class AlertRulesTest {
    static final Path RULES = Path.of("deploy", "prometheus");

    @Test
    void theRulesAreValidAndTheirUnitTestsPass() throws Exception {
        String promtool = promtool();
        assertThat(run(RULES, promtool, "check", "rules", "alerts.yaml")).contains("SUCCESS: 5 rules found");
        assertThat(run(RULES, promtool, "test", "rules", "alerts-test.yaml")).contains("SUCCESS");
    }

    /** The expressions of the alert rules. */
    static List<String> expressions() throws Exception {
        Map<String, List<Map<String, List<Map<String, Object>>>>> rules = new Yaml().load(
                Files.readString(RULES.resolve("alerts.yaml")));
        return rules.get("groups").stream().flatMap(g -> g.get("rules").stream()).map(r -> (String) r.get("expr")).toList();
    }

    /** Runs the command in the directory; it must succeed within a minute. Its output. */
    static String run(Path directory, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s:%n%s", List.of(command), output).isZero();
        return output;
    }

    /** promtool from Debian's prometheus package: fails in CI without it (.ci/run installs it), skips elsewhere. */
    static String promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("CI=true but promtool is not installed (apt-get install prometheus; .ci/run does)");
        }
        Assumptions.assumeTrue(false, "promtool not installed (Debian package prometheus): test skipped");
        return null;
    }
}

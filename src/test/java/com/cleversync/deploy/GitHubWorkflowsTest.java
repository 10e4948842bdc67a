package com.cleversync.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The GitHub files are well-formed and say what they promise: ci.yml still runs the README's test
 * command and also runs the school-database scenarios on a SQL Server 2022 service container, with the
 * variables {@link TestDatabases} reads; release.yml pushes the image of a version tag to GHCR, built
 * from what deploy/Dockerfile copies; dependabot.yml covers Maven and the actions, and holds Camel and
 * Spring Boot on their current lines. Checked as YAML and text: nothing here runs a workflow, so
 * whether GitHub accepts an option or an action's input is only seen on GitHub.
 */
class GitHubWorkflowsTest {
    static final Path WORKFLOWS = Path.of(".github", "workflows");

    @Test
    void everyJobOfEveryWorkflowHasARunnerAndStepsThatEachUseAnActionOrRunACommand() throws IOException {
        try (Stream<Path> files = Files.list(WORKFLOWS)) {
            for (Path file : files.toList()) {
                Map<String, Object> workflow = yaml(file);
                assertThat(workflow).as(file.toString()).containsKeys("name", "jobs");
                assertThat(trigger(workflow)).as("%s: on", file).isNotNull();
                for (Map.Entry<String, Map<String, Object>> job : jobs(workflow).entrySet()) {
                    String where = file + ": job " + job.getKey();
                    assertThat(job.getValue()).as(where).containsKey("runs-on");
                    List<Map<String, Object>> steps = steps(job.getValue());
                    assertThat(steps).as(where).isNotEmpty();
                    for (Map<String, Object> step : steps) {
                        assertThat(step.containsKey("uses") ^ step.containsKey("run"))
                                .as("%s: step %s has exactly one of uses and run", where, step).isTrue();
                        if (step.containsKey("uses")) {
                            // a tag, not a branch that can change under the workflow
                            assertThat((String) step.get("uses")).as(where).matches("[\\w.-]+/[\\w.-]+@v\\d+");
                        }
                    }
                }
            }
        }
    }

    @Test
    void theVerifyJobStillRunsTheReadmesTestCommandWithCiTrue() throws IOException {
        Map<String, Object> verify = jobs(yaml(WORKFLOWS.resolve("ci.yml"))).get("verify");
        Map<String, Object> test = steps(verify).stream().filter(s -> String.valueOf(s.get("run")).contains("./mvnw -B verify"))
                .findFirst().orElseThrow();
        assertThat(map(test.get("env"))).containsEntry("CI", "true");
    }

    @Test
    void theSqlServerJobRunsTheSqlServerScenariosAgainstASqlServer2022ServiceContainer() throws Exception {
        Map<String, Object> job = jobs(yaml(WORKFLOWS.resolve("ci.yml"))).get("sqlserver");
        Map<String, Object> mssql = map(map(job.get("services")).get("mssql"));
        assertThat((String) mssql.get("image")).startsWith("mcr.microsoft.com/mssql/server:2022-");
        Map<String, Object> server = map(mssql.get("env"));
        assertThat(server).containsEntry("ACCEPT_EULA", "Y");
        assertThat(mssql.get("ports")).isEqualTo(List.of("1433:1433"));
        assertThat((String) mssql.get("options")).contains("--health-cmd \"/opt/mssql-tools18/bin/sqlcmd -C ");

        // the classes it names are the SQL Server test classes there are
        Map<String, Object> jobEnv = map(job.get("env"));
        List<String> tests = Arrays.asList(((String) jobEnv.get("SQLSERVER_TESTS")).split(","));
        assertThat(tests).containsExactlyInAnyOrder(sqlServerTestClasses().toArray(String[]::new));

        // the test step gives them the variables TestDatabases reads, with the container's login
        Map<String, Object> run = steps(job).stream().filter(s -> String.valueOf(s.get("run")).contains("./mvnw -B test"))
                .findFirst().orElseThrow();
        assertThat((String) run.get("run")).contains("-Dtest=\"$SQLSERVER_TESTS\"");
        Map<String, Object> env = map(run.get("env"));
        assertThat((String) env.get(TestDatabases.SQLSERVER_URL_VARIABLE)).startsWith("jdbc:sqlserver://localhost:1433;");
        assertThat(env).containsEntry(TestDatabases.SQLSERVER_USER_VARIABLE, "sa")
                .containsEntry(TestDatabases.SQLSERVER_PASSWORD_VARIABLE, "${{ env.MSSQL_SA_PASSWORD }}");
        // the env context is not available to services: the two copies of the password must agree
        assertThat(jobEnv.get("MSSQL_SA_PASSWORD")).isEqualTo(server.get("MSSQL_SA_PASSWORD"));
        // and the run fails when they were skipped after all
        assertThat(steps(job)).anyMatch(s -> String.valueOf(s.get("run")).contains("skipped=\"0\""));
    }

    @Test
    void aVersionTagPushesTheImageBuiltFromTheDockerfilesInputsToGhcr() throws IOException {
        Map<String, Object> release = yaml(WORKFLOWS.resolve("release.yml"));
        assertThat(map(map(trigger(release)).get("push")).get("tags")).isEqualTo(List.of("v*"));
        assertThat(map(release.get("permissions"))).containsEntry("packages", "write").containsEntry("contents", "read");

        List<Map<String, Object>> steps = steps(jobs(release).get("image"));
        int packaged = indexOf(steps, s -> String.valueOf(s.get("run")).contains("./mvnw -B -Pcontainer package -DskipTests"));
        int login = indexOf(steps, s -> String.valueOf(s.get("uses")).startsWith("docker/login-action@"));
        int pushed = indexOf(steps, s -> String.valueOf(s.get("uses")).startsWith("docker/build-push-action@"));
        assertThat(packaged).isLessThan(pushed);
        assertThat(map(steps.get(login).get("with"))).containsEntry("registry", "ghcr.io")
                .containsEntry("password", "${{ secrets.GITHUB_TOKEN }}");
        Map<String, Object> build = map(steps.get(pushed).get("with"));
        assertThat(build).containsEntry("context", ".").containsEntry("file", "deploy/Dockerfile").containsEntry("push", true);
        Map<String, Object> meta = map(steps.stream().filter(s -> "meta".equals(s.get("id"))).findFirst().orElseThrow().get("with"));
        assertThat((String) meta.get("images")).startsWith("ghcr.io/");
        assertThat((String) meta.get("tags")).contains("type=semver,pattern={{version}}", "type=sha");

        // what the Dockerfile copies is in the build context once the package step ran: the jar and,
        // with -Pcontainer, the agent in target/, everything else in the repository
        Matcher copy = Pattern.compile("(?m)^COPY\\s+(.+)$").matcher(Files.readString(Path.of("deploy", "Dockerfile")));
        int sources = 0;
        while (copy.find()) {
            List<String> words = Arrays.stream(copy.group(1).trim().split("\\s+")).toList();
            if (words.stream().anyMatch(w -> w.startsWith("--from"))) {
                continue; // from an earlier stage of the build, not from the context
            }
            List<String> operands = words.stream().filter(w -> !w.startsWith("--")).toList();
            for (String source : operands.subList(0, operands.size() - 1)) {
                sources++;
                if (source.startsWith("target/")) {
                    assertThat(source).as("a packaging output").matches("target/cleversync-\\*\\.jar|target/agent/.+");
                } else {
                    assertThat(Path.of(source)).as("COPY %s", source).exists();
                }
            }
        }
        assertThat(sources).isPositive();
    }

    @Test
    void dependabotUpdatesMavenAndTheActionsWeeklyAndHoldsCamelAndSpringBootOnTheirLines() throws IOException {
        Map<String, Object> dependabot = yaml(Path.of(".github", "dependabot.yml"));
        assertThat(dependabot).containsEntry("version", 2);
        List<Map<String, Object>> updates = list(dependabot.get("updates"));
        assertThat(updates).extracting(u -> u.get("package-ecosystem")).containsExactlyInAnyOrder("maven", "github-actions");
        for (Map<String, Object> update : updates) {
            assertThat(update).containsEntry("directory", "/");
            assertThat(map(update.get("schedule"))).containsEntry("interval", "weekly");
            assertThat(map(update.get("groups")).values()).as("%s groups", update.get("package-ecosystem"))
                    .anyMatch(g -> List.of("minor", "patch").equals(map(g).get("update-types")));
        }
        Map<String, Object> maven = updates.stream().filter(u -> "maven".equals(u.get("package-ecosystem"))).findFirst().orElseThrow();
        assertThat(list(maven.get("ignore"))).contains(
                Map.of("dependency-name", "org.apache.camel*", "versions", List.of("[4.19,)")),
                Map.of("dependency-name", "org.springframework.boot*", "versions", List.of("[4.0.0,)")));
        // held where the pom is now
        String pom = Files.readString(Path.of("pom.xml"));
        assertThat(pom).containsPattern("<camel\\.version>4\\.18\\.[^<]+</camel\\.version>")
                .containsPattern("(?s)<artifactId>spring-boot-starter-parent</artifactId>.*?<version>3\\.5\\.");
    }

    /** The test classes that run on SQL Server: the scenario subclasses named *SqlServerTest. */
    static List<String> sqlServerTestClasses() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src", "test", "java"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith("SqlServerTest.java"))
                    .map(n -> n.substring(0, n.length() - ".java".length())).toList();
        }
    }

    static Map<String, Object> yaml(Path file) throws IOException {
        return new Yaml().load(Files.readString(file));
    }

    /** A workflow's {@code on:}, which YAML 1.1 (SnakeYAML) reads as the key {@code true}. */
    static Object trigger(Map<String, Object> workflow) {
        return workflow.containsKey("on") ? workflow.get("on") : ((Map<?, ?>) workflow).get(Boolean.TRUE);
    }

    static Map<String, Map<String, Object>> jobs(Map<String, Object> workflow) {
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> jobs = (Map<String, Map<String, Object>>) workflow.get("jobs");
        return jobs;
    }

    static List<Map<String, Object>> steps(Map<String, Object> job) {
        return list(job.get("steps"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object yaml) {
        assertThat(yaml).isInstanceOf(Map.class);
        return (Map<String, Object>) yaml;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object yaml) {
        assertThat(yaml).isInstanceOf(List.class);
        return (List<Map<String, Object>>) yaml;
    }

    static int indexOf(List<Map<String, Object>> steps, Predicate<Map<String, Object>> step) {
        for (int i = 0; i < steps.size(); i++) {
            if (step.test(steps.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no such step in " + steps);
    }
}

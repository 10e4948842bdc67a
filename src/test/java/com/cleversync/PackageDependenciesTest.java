package com.cleversync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine does not depend on the built-in simulator: the sandbox plugs into the engine (as
 * {@code BuiltInClever}), never the reverse, so the service's code reads without the demo's. The
 * school databases do not depend on a source: a source (clever/, later OneRoster) maps its records
 * to school/'s, so a new one plugs in without touching school/. A source knows no other source
 * (oneroster/ and aeries/ beside clever/), and what the sources share (source/) knows none of them.
 */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/com/cleversync");
    /** A name in com.cleversync other than source/ itself. */
    private static final Pattern OTHER_PACKAGE = Pattern.compile("com\\.cleversync\\.(?!source[.;])");

    @ParameterizedTest
    @ValueSource(strings = {"aeries", "clever", "cluster", "config", "oneroster", "ops", "school", "source", "sync"})
    void noEnginePackageImportsTheSandbox(String pkg) throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES.resolve(pkg))) {
            List<Path> importing = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> read(f).contains("com.cleversync.sandbox")).toList();
            assertThat(importing).as("files of %s/ that use sandbox/", pkg).isEmpty();
        }
    }

    @Test
    void theSchoolDatabasesKnowNoSourceAndNoEngine() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES.resolve("school"))) {
            List<Path> importing = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> Stream.of("clever", "sync", "sandbox", "ops", "cluster")
                            .anyMatch(other -> read(f).contains("com.cleversync." + other + "."))).toList();
            assertThat(importing).as("files of school/ that use a source or the engine").isEmpty();
        }
    }

    @Test
    void oneRosterKnowsNoOtherSourceAndNoEngine() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES.resolve("oneroster"))) {
            List<Path> importing = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> Stream.of("aeries", "clever", "sync", "sandbox", "ops", "cluster")
                            .anyMatch(other -> read(f).contains("com.cleversync." + other + "."))).toList();
            assertThat(importing).as("files of oneroster/ that use another source or the engine").isEmpty();
        }
    }

    @Test
    void aeriesKnowsNoOtherSourceAndNoEngine() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES.resolve("aeries"))) {
            List<Path> importing = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> Stream.of("clever", "oneroster", "sync", "sandbox", "ops", "cluster")
                            .anyMatch(other -> read(f).contains("com.cleversync." + other + "."))).toList();
            assertThat(importing).as("files of aeries/ that use another source or the engine").isEmpty();
        }
    }

    @Test
    void whatTheSourcesShareKnowsNoSource() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES.resolve("source"))) {
            List<Path> importing = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> OTHER_PACKAGE.matcher(read(f)).find()).toList();
            assertThat(importing).as("files of source/ that use another package of CleverSync").isEmpty();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(file.toString(), e);
        }
    }
}

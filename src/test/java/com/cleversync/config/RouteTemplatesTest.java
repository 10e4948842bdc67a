package com.cleversync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the route templates come from: the jar's own, each replaced by an operator's file of the same
 * name in {@code cleversync.routes-dir}, which may also add routes of its own.
 */
class RouteTemplatesTest {

    @Test
    void withoutAnOperatorsFolderTheTemplatesShippedInTheJarAreLoaded() {
        assertThat(RouteTemplates.locations(null)).containsExactly(
                "classpath:routes/district-schedule.camel.yaml", "classpath:routes/school-writer.camel.yaml");
    }

    @Test
    void anOperatorsFileReplacesTheShippedTemplateOfItsNameAndOtherFilesAreAdded(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("school-writer.camel.yaml"), "# edited");
        Files.writeString(dir.resolve("after-sync.camel.yaml"), "# the operator's own");
        Files.writeString(dir.resolve("notes.txt"), "not a route");

        assertThat(RouteTemplates.locations(dir)).containsExactly(
                "classpath:routes/district-schedule.camel.yaml",
                "file:" + dir.toAbsolutePath().resolve("school-writer.camel.yaml"),
                "file:" + dir.toAbsolutePath().resolve("after-sync.camel.yaml"));
    }

    @Test
    void aFolderThatIsNotThereStopsStartupNamingTheKey(@TempDir Path dir) {
        assertThatThrownBy(() -> RouteTemplates.locations(dir.resolve("missing")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("cleversync.routes-dir: is not a directory: ");
    }
}

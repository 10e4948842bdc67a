package com.cleversync.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Where Camel loads the pipeline's route templates from. They ship inside the jar
 * ({@code classpath:routes/*.camel.yaml}, copied from the repository's {@code routes/}), so the
 * service starts from any directory. {@code cleversync.routes-dir} (environment:
 * {@code CLEVERSYNC_ROUTES_DIR}) names an operator's folder: each template found there by file name
 * replaces the shipped one, and its other {@code *.camel.yaml} files are loaded too. An explicit
 * {@code camel.main.routes-include-pattern} is left as it is.
 */
public class RouteTemplates implements EnvironmentPostProcessor {
    static final String KEY = "cleversync.routes-dir";
    private static final String PATTERN = "camel.main.routes-include-pattern";
    private static final String SHIPPED = "classpath:routes/*.camel.yaml";
    private static final String SUFFIX = ".camel.yaml";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty(PATTERN)) {
            return;
        }
        String dir = environment.getProperty(KEY);
        environment.getPropertySources().addLast(new MapPropertySource("cleversync-route-templates",
                Map.of(PATTERN, String.join(",", locations(dir == null || dir.isBlank() ? null : Path.of(dir))))));
    }

    static List<String> locations(Path operatorDir) {
        Set<String> operatorFiles = new LinkedHashSet<>();
        if (operatorDir != null) {
            if (!Files.isDirectory(operatorDir)) {
                throw new InvalidConfigurationException(KEY, "is not a directory: " + operatorDir);
            }
            try (Stream<Path> files = Files.list(operatorDir)) {
                files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(SUFFIX)).sorted()
                        .forEach(operatorFiles::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<String> shipped = shippedTemplates();
        List<String> locations = new ArrayList<>();
        for (String template : shipped) {
            locations.add(operatorFiles.contains(template) ? "file:" + operatorDir.toAbsolutePath().resolve(template)
                    : "classpath:routes/" + template);
        }
        for (String own : operatorFiles) {
            if (!shipped.contains(own)) {
                locations.add("file:" + operatorDir.toAbsolutePath().resolve(own));
            }
        }
        return locations;
    }

    private static List<String> shippedTemplates() {
        try {
            Resource[] found = new PathMatchingResourcePatternResolver(RouteTemplates.class.getClassLoader())
                    .getResources(SHIPPED);
            return Stream.of(found).map(Resource::getFilename).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

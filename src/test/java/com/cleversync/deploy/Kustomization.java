package com.cleversync.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code kustomization.yaml}, with the fields deploy/kubernetes uses: read strictly, so a misspelt field (which
 * kustomize would refuse) fails here too. Not a Kubernetes object: kustomize's own configuration.
 */
record Kustomization(String apiVersion, String kind, String namespace, List<String> resources, List<Patch> patches,
                     List<ConfigMapGenerator> configMapGenerator, List<ImageOverride> images) {

    record Patch(String path, Map<String, Object> target) {
    }

    record ConfigMapGenerator(String name, List<String> files, List<String> literals, GeneratorOptions options) {
    }

    record GeneratorOptions(Map<String, String> labels, Map<String, String> annotations, Boolean disableNameSuffixHash) {
    }

    record ImageOverride(String name, String newName, String newTag, String digest) {
    }

    static Kustomization read(Path directory) throws IOException {
        Map<String, Object> yaml = Manifests.documents(Files.readString(directory.resolve("kustomization.yaml"))).get(0);
        return Manifests.mapper().convertValue(yaml, Kustomization.class);
    }

    /** What it names: resources (files or directories), patches and generators' files, relative to its directory. */
    List<String> references() {
        List<String> references = new ArrayList<>(orEmpty(resources));
        orEmpty(patches).forEach(p -> references.add(p.path()));
        orEmpty(configMapGenerator).forEach(g -> references.addAll(orEmpty(g.files())));
        return references;
    }

    List<String> resourceFiles() {
        return orEmpty(resources).stream().filter(r -> r.endsWith(".yaml")).toList();
    }

    List<String> resourceDirectories() {
        return orEmpty(resources).stream().filter(r -> !r.endsWith(".yaml")).toList();
    }

    List<String> patchFiles() {
        return orEmpty(patches).stream().map(Patch::path).toList();
    }

    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}

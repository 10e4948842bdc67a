package com.cleversync.deploy;

import com.cleversync.deploy.Dockerfile.Instruction;
import com.cleversync.deploy.Dockerfile.Stage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds a Dockerfile's image into a directory as {@code docker build} would, without Docker: each builder stage
 * in a directory of its own, where WORKDIR, COPY, ENV and RUN take effect (RUN through {@code /bin/sh -c} in the
 * stage's working directory, with this JVM's {@code java} standing in for the base image's), and the last stage as
 * the image's own files (its COPY lines, with their {@code --from} and {@code --chown}) plus its configuration (ENV,
 * USER, WORKDIR, VOLUME, EXPOSE, HEALTHCHECK, ENTRYPOINT, CMD). The image's stage may hold nothing else: an
 * instruction this cannot reproduce faithfully (RUN as the image's user, ADD…) fails the build.
 */
final class ImageBuild {
    /** Directories the base image provides (container.sh mounts them); the image's own files must go elsewhere. */
    private static final Set<String> BASE_DIRECTORIES = Set.of("bin", "sbin", "lib", "lib32", "lib64", "libx32", "usr",
            "etc", "opt", "tmp", "proc", "sys", "dev");
    private static final Set<String> IMAGE_INSTRUCTIONS = Set.of("WORKDIR", "COPY", "ENV", "USER", "VOLUME", "EXPOSE",
            "HEALTHCHECK", "ENTRYPOINT", "CMD", "LABEL");
    private static final Set<String> BUILDER_INSTRUCTIONS = Set.of("WORKDIR", "COPY", "ENV", "RUN");

    private final Path context;
    private final Path into;
    private final Map<String, Path> stageRoots = new LinkedHashMap<>();

    private ImageBuild(Path context, Path into) {
        this.context = context;
        this.into = into;
    }

    /** {@code docker build -f dockerfile context}, the image's files ending up in {@code into/image}. */
    static Image build(Dockerfile dockerfile, Path context, Path into) throws IOException, InterruptedException {
        ImageBuild build = new ImageBuild(context, into);
        List<Stage> stages = dockerfile.stages();
        for (Stage builder : stages.subList(0, stages.size() - 1)) {
            build.runBuilder(builder);
        }
        return build.image(dockerfile.image());
    }

    private void runBuilder(Stage stage) throws IOException, InterruptedException {
        Path root = Files.createDirectories(into.resolve("stages").resolve(stage.name()));
        stageRoots.put(stage.name(), root);
        String workdir = "/";
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction instruction : stage.instructions()) {
            switch (requireOneOf(BUILDER_INSTRUCTIONS, instruction, stage)) {
                case "WORKDIR" -> {
                    workdir = absolute(workdir, instruction.arguments());
                    Files.createDirectories(hostPath(root, "/", workdir));
                }
                case "COPY" -> copy(instruction, root, workdir);
                case "ENV" -> env.putAll(instruction.variables());
                case "RUN" -> run(instruction, root, workdir, env);
                default -> throw new IllegalStateException();
            }
        }
    }

    private Image image(Stage stage) throws IOException {
        Path root = Files.createDirectories(into.resolve("image"));
        String workdir = "/";
        for (Instruction instruction : stage.instructions()) {
            requireOneOf(IMAGE_INSTRUCTIONS, instruction, stage);
            if (instruction.keyword().equals("WORKDIR")) {
                workdir = absolute(workdir, instruction.arguments());
                Files.createDirectories(hostPath(root, "/", workdir));
            } else if (instruction.keyword().equals("COPY")) {
                copy(instruction, root, workdir);
            }
        }
        try (Stream<Path> top = Files.list(root)) {
            List<String> clashing = top.map(p -> p.getFileName().toString()).filter(BASE_DIRECTORIES::contains).toList();
            if (!clashing.isEmpty()) {
                throw new IllegalStateException("the image writes into the base image's " + clashing
                        + ", which this build cannot reproduce");
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        stage.all("ENV").forEach(e -> env.putAll(e.variables()));
        List<String> volumes = new ArrayList<>();
        stage.all("VOLUME").forEach(v -> volumes.addAll(v.words()));
        List<Integer> ports = new ArrayList<>();
        stage.all("EXPOSE").forEach(e -> e.words().forEach(p -> ports.add(Integer.parseInt(p.replace("/tcp", "")))));
        return new Image(root, stage.baseImage(), workdir, stage.last("USER").map(Instruction::arguments).orElse("0:0"),
                env, volumes, ports,
                stage.last("ENTRYPOINT").map(Instruction::command).orElse(List.of()),
                stage.last("CMD").map(Instruction::command).orElse(List.of()),
                stage.last("HEALTHCHECK").map(ImageBuild::healthcheck).orElse(null));
    }

    private static Image.Healthcheck healthcheck(Instruction instruction) {
        String command = instruction.operands();
        if (!command.startsWith("CMD ")) {
            throw new IllegalArgumentException("HEALTHCHECK without CMD: " + instruction.arguments());
        }
        Map<String, String> flags = instruction.flags();
        return new Image.Healthcheck(Instruction.command(command.substring(4).strip()),
                duration(flags.getOrDefault("start-period", "0s")), duration(flags.getOrDefault("interval", "30s")),
                duration(flags.getOrDefault("timeout", "30s")), Integer.parseInt(flags.getOrDefault("retries", "3")));
    }

    private static Duration duration(String docker) {
        return Duration.parse("PT" + docker.toUpperCase());
    }

    private static String requireOneOf(Set<String> allowed, Instruction instruction, Stage stage) {
        if (!allowed.contains(instruction.keyword())) {
            throw new IllegalStateException("ImageBuild cannot reproduce " + instruction.keyword() + " in stage "
                    + (stage.name() == null ? "(the image)" : stage.name()) + ": " + instruction.arguments());
        }
        return instruction.keyword();
    }

    /**
     * COPY: sources from the build context (a {@code *} may stand in a file name) or, with {@code --from}, from an
     * earlier stage; a directory's contents are copied, not the directory; with several sources, or a destination
     * ending in {@code /}, the destination is a directory. Files keep their mode; with {@code --chown=uid:gid}
     * everything copied is that owner's, otherwise root's.
     */
    private void copy(Instruction instruction, Path root, String workdir) throws IOException {
        Map<String, String> flags = instruction.flags();
        List<String> operands = List.of(instruction.operands().split("\\s+"));
        String destination = operands.get(operands.size() - 1);
        List<Path> sources = new ArrayList<>();
        for (String source : operands.subList(0, operands.size() - 1)) {
            if (flags.containsKey("from")) {
                Path stage = stageRoots.get(flags.get("from"));
                if (stage == null) {
                    throw new IllegalStateException("COPY --from an unknown stage: " + instruction.arguments());
                }
                sources.add(hostPath(stage, "/", source));
            } else {
                sources.addAll(glob(source));
            }
        }
        boolean intoDirectory = destination.endsWith("/") || sources.size() > 1;
        Path target = hostPath(root, workdir, destination);
        int[] owner = flags.containsKey("chown") ? owner(flags.get("chown")) : new int[] {0, 0};
        for (Path source : sources) {
            if (Files.isDirectory(source)) {
                copyTree(source, target, owner);
            } else {
                Path file = intoDirectory || Files.isDirectory(target) ? target.resolve(source.getFileName().toString()) : target;
                Files.createDirectories(file.getParent());
                Files.copy(source, file, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                chown(file, owner);
            }
        }
    }

    private List<Path> glob(String source) throws IOException {
        Path pattern = context.resolve(source);
        if (!source.contains("*")) {
            if (!Files.exists(pattern)) {
                throw new IllegalStateException("COPY: " + source + " is not in the build context");
            }
            return List.of(pattern);
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.getFileName());
        try (Stream<Path> files = Files.list(pattern.getParent())) {
            List<Path> matches = files.filter(f -> matcher.matches(f.getFileName())).sorted().toList();
            if (matches.isEmpty()) {
                throw new IllegalStateException("COPY: nothing in the build context matches " + source);
            }
            return matches;
        }
    }

    private static void copyTree(Path from, Path to, int[] owner) throws IOException {
        try (Stream<Path> tree = Files.walk(from)) {
            for (Path source : (Iterable<Path>) tree::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    boolean existed = Files.isDirectory(target);
                    Files.createDirectories(target);
                    if (!existed && !source.equals(from)) {
                        Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(source));
                        chown(target, owner);
                    }
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                    chown(target, owner);
                }
            }
        }
    }

    private static int[] owner(String chown) {
        String[] ids = chown.split(":");
        return new int[] {Integer.parseInt(ids[0]), Integer.parseInt(ids.length > 1 ? ids[1] : ids[0])};
    }

    static int[] ownerOf(Path path) throws IOException {
        return new int[] {(Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS),
                (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS)};
    }

    static void chown(Path path, int[] owner) throws IOException {
        Files.setAttribute(path, "unix:uid", owner[0], LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", owner[1], LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * RUN in a builder stage: the shell command in the stage's working directory. It may name paths only relative
     * to that directory, since {@code /} here is this machine's, not the stage's.
     */
    private static void run(Instruction instruction, Path root, String workdir, Map<String, String> env)
            throws IOException, InterruptedException {
        List<String> command = instruction.command();
        if (command.get(command.size() - 1).matches("(?s).*(^|\\s)/\\S.*")) {
            throw new IllegalStateException("RUN names an absolute path, which ImageBuild cannot map into the stage: "
                    + instruction.arguments());
        }
        ProcessBuilder process = new ProcessBuilder(command).directory(hostPath(root, "/", workdir).toFile())
                .redirectErrorStream(true);
        process.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
        process.environment().putAll(env);
        Path log = Files.createTempFile(root.getParent(), "run", ".log");
        Process running = process.redirectOutput(log.toFile()).start();
        if (!running.waitFor(5, TimeUnit.MINUTES) || running.exitValue() != 0) {
            running.destroyForcibly();
            throw new IllegalStateException("RUN " + instruction.arguments() + " failed:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    private static String absolute(String workdir, String path) {
        return path.startsWith("/") ? path : (workdir.endsWith("/") ? workdir : workdir + "/") + path;
    }

    private static Path hostPath(Path root, String workdir, String path) {
        Path resolved = root.resolve(absolute(workdir, path).substring(1)).normalize();
        if (!resolved.startsWith(root)) {
            throw new IllegalArgumentException(path + " leaves the stage");
        }
        return resolved;
    }
}

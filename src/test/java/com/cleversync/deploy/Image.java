package com.cleversync.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An image as {@link ImageBuild} built it: its own files ({@code files/app/…} is the image's {@code /app}) on top
 * of {@code baseImage}, and the configuration a container runtime reads from it.
 *
 * @param user "uid:gid", as USER gives it
 * @param env  the image's ENV, without the base image's
 */
record Image(Path files, String baseImage, String workdir, String user, Map<String, String> env, List<String> volumes,
             List<Integer> exposedPorts, List<String> entrypoint, List<String> cmd, Healthcheck healthcheck) {

    /** HEALTHCHECK: the command Docker runs in the container, and how often and how long it is given. */
    record Healthcheck(List<String> command, Duration startPeriod, Duration interval, Duration timeout, int retries) {
    }
}

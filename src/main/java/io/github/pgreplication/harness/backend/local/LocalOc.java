package io.github.pgreplication.harness.backend.local;

import io.github.pgreplication.harness.backend.OcArgs;
import io.github.pgreplication.harness.backend.OcSecrets;
import io.github.pgreplication.harness.backend.BackendOcTarget;
import io.github.pgreplication.harness.backend.PostgresPod;
import io.github.pgreplication.harness.backend.ServiceRoutes;
import io.github.pgreplication.harness.run.ResourceManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * What the local backend gives its {@code oc}: its pods, an exec as the backend's own (the pod's OS user, env and
 * paths, a session without a terminal) that takes standard input only when given and keeps the outputs apart, the
 * pod's container log, its claims.
 */
final class LocalOc extends BackendOcTarget {

    private final LocalBackend backend;
    private final ResourceManager resources;

    LocalOc(LocalBackend backend, String project, Supplier<List<LocalPod>> pods, ResourceManager resources, OcSecrets secrets,
            ServiceRoutes services) {
        super("local", backend, project, pods, secrets, services);
        this.backend = backend;
        this.resources = resources;
    }

    @Override
    public Optional<Integer> exec(PostgresPod p, List<String> command, Optional<Path> stdin, Path stdout, Path stderr,
                                  Duration timeout) {
        LocalPod pod = (LocalPod) p;
        List<String> cmd = command.stream().map(pod.paths::rewrite).toList();
        requireExecutable(pod, cmd.get(0));
        LocalProcess process = LocalProcess.exec(pod.name() + " oc exec", backend.user(), cmd, pod.env, pod.root, stdin,
                stdout, stderr, Duration.ofSeconds(5));
        resources.track(pod.name() + " oc exec", process);
        OptionalInt exit = process.waitFor(timeout);
        if (exit.isEmpty()) {
            process.kill();
        }
        resources.releaseNow(process);
        return exit.isPresent() ? Optional.of(exit.getAsInt()) : Optional.empty();
    }

    /** A command the pod's PATH does not have: refused as the container runtime refuses it, before anything runs. */
    private static void requireExecutable(LocalPod pod, String program) {
        boolean found = program.contains("/") ? Files.isExecutable(Path.of(program))
                : List.of(pod.env.getOrDefault("PATH", "").split(":")).stream()
                        .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, program)));
        if (!found) {
            throw BackendOcTarget.execNotStarted("OCI runtime exec failed: exec failed: unable to start container process: "
                    + "exec: \"" + program + "\": " + (program.contains("/") ? "stat " + program + ": no such file or directory"
                    : "executable file not found in $PATH") + ": unknown");
        }
    }

    @Override
    public String containerLog(PostgresPod p) {
        try {
            return Files.readString(((LocalPod) p).log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public Optional<Usage> usage(PostgresPod p) {
        LocalPod pod = (LocalPod) p;
        return pod.server == null || !pod.isRunning() ? Optional.empty() : ProcessTreeUsage.of(pod.server.pid());
    }

    @Override
    public boolean hasClaim(String name) {
        return backend.hasClaim(name);
    }

}

package io.github.pgreplication.harness.backend;

import io.github.pgreplication.harness.run.RunDirectory;
import io.github.pgreplication.harness.run.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bash whose {@code oc} is a backend's own ({@link OcServer}): its program in the {@code bin} of a directory of
 * this shell's (mode 0700, removed on close), where each call leaves its request directory for the time of the
 * call; the scripts run in its {@code work} directory (what a guide's line writes, {@code > backup.yaml}, goes
 * there). {@code oc project NAME} switches this shell's project, as the cluster's shell switches its private
 * kubeconfig's namespace.
 */
public final class OcShell implements ClusterShell, AutoCloseable {

    private final OcServer server;
    private final String id;
    private final String project;
    private final Path dir;
    /** The scripts running now, stopped at close before the directory goes. */
    private final Set<Process> live = ConcurrentHashMap.newKeySet();
    private volatile String namespace;
    /** When the script running now must end (System.nanoTime()); its exec calls get the time left. */
    private volatile long deadline = System.nanoTime();

    OcShell(OcServer server, String id, Path parent, String project) {
        this.server = server;
        this.id = id;
        this.project = project;
        this.namespace = project;
        try {
            this.dir = Files.createTempDirectory(parent, "oc-" + id + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path bin = Files.createDirectory(dir.resolve("bin"));
            Files.createDirectory(dir.resolve("work"));
            Path oc = bin.resolve("oc");
            Files.writeString(oc, server.program(id, dir), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(oc, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the " + server.backendName() + " backend's oc in " + parent, e);
        }
    }

    String id() {
        return id;
    }

    Path dir() {
        return dir;
    }

    String namespace() {
        return namespace;
    }

    void switchNamespace(String namespace) {
        this.namespace = namespace;
    }

    Duration left() {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /** The {@code oc} program, for a test that runs it directly (shellcheck). */
    public Path program() {
        return dir.resolve("bin").resolve("oc");
    }

    @Override
    public String project() {
        return project;
    }

    @Override
    public ContainerResult run(String script, Duration timeout) {
        deadline = System.nanoTime() + timeout.toNanos();
        return ShellScript.run(script, dir.resolve("work"), environment(), timeout, "the " + server.backendName() + " backend's oc",
                live);
    }

    @Override
    public ContainerResult atTerminal(String line, List<TerminalTurn> turns, Waits waits, Duration timeout) {
        deadline = System.nanoTime() + waits.scaled(timeout).toNanos() * (turns.size() + 1);
        return ShellScript.atTerminal(line, turns, dir.resolve("work"), environment(), waits, timeout,
                "the " + server.backendName() + " backend's oc", live);
    }

    private Map<String, String> environment() {
        return Map.of("PATH", dir.resolve("bin") + ":/usr/bin:/bin", "HOME", dir.resolve("work").toString(), "LANG", "C.UTF-8");
    }

    @Override
    public void close() {
        server.forget(this);
        ShellScript.stopAll(live);
        RunDirectory.deleteTree(dir);
    }
}

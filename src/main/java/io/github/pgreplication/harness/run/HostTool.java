package io.github.pgreplication.harness.run;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real tool of the host that the certification runs as it is (promtool, prometheus-postgres-exporter):
 * found on the PATH or a clear error saying which Debian package provides it, run with stdin closed, its
 * output captured and redacted. Shelling out is the point here: these are the tools a team runs.
 */
public final class HostTool {

    /** What a tool printed and how it ended. */
    public record Result(List<String> command, int exitCode, String output) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    private final String name;
    private final Path executable;

    private HostTool(String name, Path executable) {
        this.name = name;
        this.executable = executable;
    }

    /** The executable of that name on the PATH, if any. */
    public static java.util.Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }

    /** The tool on the PATH, or an error naming the Debian package to install. */
    public static HostTool require(String name, String debianPackage) {
        java.util.Optional<Path> found = onPath(name);
        if (found.isPresent()) {
            return new HostTool(name, found.get());
        }
        throw new IllegalStateException(name + " is not installed on this host (PATH=" + System.getenv("PATH")
                + "); install Debian's package " + debianPackage + " (.ci/run does)");
    }

    public Path executable() {
        return executable;
    }

    /** Runs the tool to completion in {@code workDir}. */
    public Result run(Path workDir, Duration timeout, String... args) {
        return run(workDir, timeout, null, args);
    }

    /**
     * Runs the tool to completion in {@code workDir} with exactly {@code env} added to a minimal environment
     * (a client's password goes there, never on the command line); {@code null} keeps the harness's environment.
     */
    public Result run(Path workDir, Duration timeout, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable.toString());
        cmd.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (env != null) {
                pb.environment().clear();
                pb.environment().put("PATH", "/usr/bin:/bin");
                pb.environment().putAll(env);
            }
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(name + " did not finish within " + timeout.toMillis() + " ms: " + cmd);
            }
            return new Result(cmd, p.exitValue(), Secrets.redact(new String(out, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + name, e);
        }
    }

    /**
     * Starts the tool as a long-running server with exactly {@code env} added to a minimal environment
     * (secrets go in the environment, never on the command line where {@code ps} shows them). Closing the
     * returned handle kills it.
     */
    public Server start(Path workDir, Path log, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().putAll(env);
        try {
            return new Server(name, pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    /** A running tool. */
    public static final class Server implements AutoCloseable {
        private final String name;
        private final Process process;
        private final Path log;

        Server(String name, Process process, Path log) {
            this.name = name;
            this.process = process;
            this.log = log;
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        public String logTail(int lines) {
            try {
                List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
                return Secrets.redact(String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())));
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }

        @Override
        public String toString() {
            return name + " (pid " + process.pid() + ")";
        }
    }
}

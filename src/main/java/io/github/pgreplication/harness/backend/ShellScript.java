package io.github.pgreplication.harness.backend;

import io.github.pgreplication.harness.run.Secrets;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A bash script of the guide's commands, as a {@link ClusterShell} runs one: in a directory of its own, with only the
 * environment it is given, stdin closed, output and errors together and redacted; a script still running at the
 * timeout (a watch, {@code -f}) is stopped with what it started, its output kept. Shared by the cluster's shell and
 * the backends' own {@code oc}.
 */
public final class ShellScript {

    private ShellScript() {
    }

    /** Runs {@code script} in {@code workDir} with exactly {@code env}; {@code what} names the shell in an error. */
    public static ContainerResult run(String script, Path workDir, Map<String, String> env, Duration timeout, String what) {
        long start = System.nanoTime();
        Path out = workDir.resolve("out-" + Thread.currentThread().getId() + "-" + start);
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        boolean timedOut = false;
        int exit = -1;
        try {
            Process p = pb.start();
            if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                exit = p.exitValue();
            } else {
                timedOut = true;
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            String output = Secrets.redact(Files.readString(out, StandardCharsets.UTF_8));
            return new ContainerResult("bash -c <<" + script.strip() + ">>", exit, output,
                    Duration.ofNanos(System.nanoTime() - start), timedOut);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the guide's commands with " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running the guide's commands", e);
        } finally {
            try {
                Files.deleteIfExists(out);
            } catch (IOException ignored) {
                // the shell's directory goes when the shell closes
            }
        }
    }
}

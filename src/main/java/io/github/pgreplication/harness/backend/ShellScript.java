package io.github.pgreplication.harness.backend;

import io.github.pgreplication.harness.run.Secrets;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
        return run(script, workDir, env, timeout, what, ConcurrentHashMap.newKeySet());
    }

    /**
     * As {@link #run(String, Path, Map, Duration, String)}, the script's process in {@code live} while it runs, so that
     * the shell that owns {@code workDir} can stop it ({@link #stopAll}) before it deletes the directory: a script a
     * timed-out wait left running in its thread would otherwise write there after the deletion (kubectl's cache).
     */
    public static ContainerResult run(String script, Path workDir, Map<String, String> env, Duration timeout, String what,
                                      Set<Process> live) {
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
            live.add(p);
            try {
                if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    exit = p.exitValue();
                } else {
                    timedOut = true;
                    stop(p);
                }
            } finally {
                live.remove(p);
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

    /** Stops every script still running in {@code live} (and what each started), and waits for each to be gone. */
    public static void stopAll(Set<Process> live) {
        List.copyOf(live).forEach(ShellScript::stop);
    }

    private static void stop(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.github.pgreplication.harness.backend.local;

import io.github.pgreplication.harness.run.OsUser;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process of a pod, run as the pod's OS user with exactly the given environment, stdin closed and its
 * output appended to a log file. Closing it stops it with its stop signal (SIGINT unless said: the official image's, a
 * fast shutdown for postgres; a server of the sclorg image gets its SIGTERM, a smart shutdown), then kills it and its
 * tree if it has not ended in time (a pod's grace period).
 */
final class LocalProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalProcess.class);

    private final String what;
    private final Process process;
    private final Duration stopWithin;
    private String stopSignal = "INT";

    private LocalProcess(String what, Process process, Duration stopWithin) {
        this.what = what;
        this.process = process;
        this.stopWithin = stopWithin;
    }

    /**
     * The signal {@link #stop} sends first ({@code INT} unless said), as a container's stop sends its image's
     * STOPSIGNAL; SIGKILL follows when the process has not ended within its stop time.
     */
    LocalProcess stoppedBy(String signal) {
        this.stopSignal = signal;
        return this;
    }

    /**
     * Starts a command. With {@code detachTerminal} it runs in a new session ({@code setsid}) so that no
     * program can open {@code /dev/tty} and wait on a prompt, as in a pod.
     */
    static LocalProcess start(String what, OsUser user, List<String> command, Map<String, String> env, Path workDir,
                              Path log, boolean detachTerminal, Duration stopWithin) {
        List<String> full = new ArrayList<>();
        if (detachTerminal) {
            full.addAll(List.of("setsid", "--wait"));
        }
        full.addAll(user.prefix());
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            return new LocalProcess(what, pb.start(), stopWithin);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + what + " (" + command.get(0) + ")", e);
        }
    }

    /**
     * Starts a command as {@code oc exec} runs one in a pod: in a new session (no controlling terminal), standard
     * input from {@code stdin} when present and else {@code /dev/null} (EOF at once), standard output and error
     * appended to two files, apart.
     */
    static LocalProcess exec(String what, OsUser user, List<String> command, Map<String, String> env, Path workDir,
                             java.util.Optional<Path> stdin, Path stdout, Path stderr, Duration stopWithin) {
        List<String> full = new ArrayList<>(List.of("setsid", "--wait"));
        full.addAll(user.prefix());
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(stdin.map(Path::toFile).orElse(new File("/dev/null"))))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            return new LocalProcess(what, pb.start(), stopWithin);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + what + " (" + command.get(0) + ")", e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to end; returns its exit status, or empty when it did not end in time. */
    java.util.OptionalInt waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    ? java.util.OptionalInt.of(process.exitValue()) : java.util.OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.OptionalInt.empty();
        }
    }

    /**
     * Stops with its stop signal (SIGINT unless {@link #stoppedBy said}: postgres' fast shutdown), then SIGKILL to the
     * process and its tree when it has not ended in time. An ended process has no tree left to walk (its children, if any, now belong to init, where no walk from
     * it reaches them), and walking the whole process table for it anyway cost a local run about a CPU-second.
     */
    void stop() {
        if (process.isAlive()) {
            signal(stopSignal, process.pid());
            if (waitFor(stopWithin).isEmpty()) {
                LOG.info("{} had not ended {} s after SIG{}: killed (SIGKILL), as a pod is at the end of its grace period",
                        what, stopWithin.toSeconds(), stopSignal);
                kill();
            }
        }
    }

    /**
     * SIGKILL to the process and its descendants at once; then the shared memory they mapped is released
     * ({@link SharedMemory}), as a pod's goes with it: a killed server would leave it on the host.
     */
    void kill() {
        SharedMemory.Held held = SharedMemory.mappedBy(java.util.stream.Stream.concat(java.util.stream.Stream.of(
                process.toHandle()), process.descendants()));
        killTree();
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
        if (!held.isEmpty()) {
            LOG.info("{} killed: released the shared memory it left: {}", what, SharedMemory.release(held));
        }
    }

    private void killTree() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    private static void signal(String signal, long pid) {
        try {
            // Java can send SIGTERM and SIGKILL only; postgres' fast shutdown is SIGINT (the official image's STOPSIGNAL).
            new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return what + " (pid " + process.pid() + ")";
    }
}

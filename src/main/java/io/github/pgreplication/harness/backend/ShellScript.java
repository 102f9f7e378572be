package io.github.pgreplication.harness.backend;

import io.github.pgreplication.harness.run.Secrets;
import io.github.pgreplication.harness.run.Waits;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bash script of the guide's commands, as a {@link ClusterShell} runs one: in a directory of its own, with only the
 * environment it is given, stdin closed, output and errors together and redacted; a script still running at the
 * timeout (a watch, {@code -f}) is stopped with what it started, its output kept. Shared by the cluster's shell and
 * the backends' own {@code oc}.
 */
public final class ShellScript {

    private ShellScript() {
    }

    /** {@code word} as one word of a bash line, whatever it holds: single-quoted, its own single quotes escaped. */
    public static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
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

    /** The terminal's width. */
    public static final int COLUMNS = 120;

    /** A terminal's escape sequences (CSI, OSC, charset selection) and carriage returns: layout, never content. */
    private static final Pattern TERMINAL_CONTROL = Pattern.compile("\u001B(\\[[0-?]*[ -/]*[@-~]|\\][^\u0007\u001B]*(\u0007|\u001B\\\\)|[()][0-9A-Za-z]|[=>])|\r");

    /**
     * {@link ClusterShell#atTerminal}: {@code line} run by bash in a pseudo-terminal of script(1) ({@code script -qfec}),
     * in {@code workDir} with exactly {@code env}, each turn typed once its prompt shows. {@code timeout} bounds each
     * prompt's wait and the line's end, scaled by {@code waits}.
     */
    public static ContainerResult atTerminal(String line, List<TerminalTurn> turns, Path workDir, Map<String, String> env,
                                             Waits waits, Duration timeout, String what, Set<Process> live) {
        long start = System.nanoTime();
        // A terminal of a size (script(1) gives its pseudo-terminal none, without one of its own): with 0 columns, a
        // remote bash's readline (kubectl run -it passes the size on) draws no prompt after the first.
        ProcessBuilder pb = new ProcessBuilder("script", "-qfec", "stty cols " + COLUMNS + " rows 40 2>/dev/null; " + line,
                "/dev/null").directory(workDir.toFile())
                .redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("SHELL", "/bin/bash");
        pb.environment().putIfAbsent("TERM", "dumb");
        StringBuffer printed = new StringBuffer();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a terminal for the guide's line with " + what, e);
        }
        live.add(p);
        Thread reader = new Thread(() -> copy(p.getInputStream(), printed), "terminal-" + p.pid());
        reader.setDaemon(true);
        reader.start();
        boolean timedOut = false;
        try (OutputStream keyboard = p.getOutputStream()) {
            int from = 0;
            for (int i = 0; i < turns.size(); i++) {
                TerminalTurn t = turns.get(i);
                Optional<TerminalTurn> next = t.onlyIfAsked() && i + 1 < turns.size() ? Optional.of(turns.get(i + 1))
                        : Optional.empty();
                int since = from;
                int[] end = {-1};
                boolean[] asked = {true};
                waits.until("the terminal of `" + line + "` shows " + t.name() + next.map(n -> " or " + n.name()).orElse(""),
                        timeout, Duration.ofMillis(100), () -> {
                            String shown = visible(printed);
                            int at = Math.min(since, shown.length());
                            Matcher m = t.prompt().matcher(shown);
                            Matcher n = next.map(x -> x.prompt().matcher(shown)).orElse(null);
                            boolean own = m.find(at);
                            boolean other = n != null && n.find(at);
                            if (own && (!other || m.start() <= n.start())) {
                                end[0] = m.end();
                                return true;
                            }
                            if (other) {
                                asked[0] = false;
                                return true;
                            }
                            return false;
                        }, () -> !p.isAlive() && !reader.isAlive() && !t.prompt().matcher(visibleAfter(printed, since)).find(),
                        () -> "the terminal printed, since the last turn:\n" + Secrets.redact(visibleAfter(printed, since))
                                + (p.isAlive() ? "" : "\n(the line had exited " + p.exitValue() + ")"));
                if (!asked[0]) {
                    continue; // the next turn's prompt came first: nothing typed here, and the next turn sees it
                }
                from = end[0];
                keyboard.write((t.keys() + "\r").getBytes(StandardCharsets.UTF_8));
                keyboard.flush();
            }
            try {
                waits.until("`" + line + "` exited at the terminal after its last turn", timeout, Duration.ofMillis(100),
                        () -> !p.isAlive(), () -> "the terminal printed last:\n" + Secrets.redact(tail(visible(printed), 20)));
            } catch (AssertionError e) {
                timedOut = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot type at the terminal of `" + line + "` (" + what + ")", e);
        } finally {
            if (p.isAlive()) {
                stop(p);
            }
            live.remove(p);
            try {
                reader.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new ContainerResult("terminal <<" + line + ">>", timedOut ? -1 : p.exitValue(),
                Secrets.redact(visible(printed)), Duration.ofNanos(System.nanoTime() - start), timedOut);
    }

    /** What a terminal shows of {@code raw}: without escape sequences and carriage returns. */
    static String visible(CharSequence raw) {
        return TERMINAL_CONTROL.matcher(raw).replaceAll("");
    }

    private static String visibleAfter(StringBuffer printed, int from) {
        String v = visible(printed);
        return v.substring(Math.min(from, v.length()));
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    private static void copy(InputStream in, StringBuffer into) {
        char[] buf = new char[8192];
        try (var chars = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
            int n;
            while ((n = chars.read(buf)) > 0) {
                into.append(buf, 0, n);
            }
        } catch (IOException ignored) {
            // the terminal closed
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

package io.github.pgreplication.harness.backend;

import java.time.Duration;

/**
 * A container run to completion (an init container, a Job) or an exec: its exit status and its output,
 * already redacted of every known secret.
 */
public record ContainerResult(String what, int exitCode, String output, Duration took, boolean timedOut) {

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /** The last lines of the output, for failure messages. */
    public String tail(int lines) {
        String[] all = output.split("\n");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
    }
}

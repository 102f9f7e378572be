package io.github.pgreplication.harness.backend;

import io.github.pgreplication.harness.run.Secrets;

/**
 * A pod's main container ended before its server was ready, as a cluster would show it (CrashLoopBackOff, the
 * last state's exit code and log): what the procedure tells from a pod that is merely slow, and records as a
 * deviation of the manifests that made it.
 */
public final class ContainerExited extends IllegalStateException {

    private final int exitCode;
    private final String log;

    public ContainerExited(String pod, int exitCode, String log) {
        super(pod + ": its container exited with status " + exitCode + " before its server was ready:\n" + Secrets.redact(log));
        this.exitCode = exitCode;
        this.log = Secrets.redact(log);
    }

    public int exitCode() {
        return exitCode;
    }

    /** The container's output (the end of its log), redacted. */
    public String log() {
        return log;
    }
}

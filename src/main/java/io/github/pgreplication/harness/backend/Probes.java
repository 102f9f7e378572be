package io.github.pgreplication.harness.backend;

import io.github.pgreplication.harness.guide.ContainerPlan;
import java.util.List;

/** The commands every backend runs inside a pod to know its server's state, written once. */
public final class Probes {

    /** The port the image's server listens on inside its pod. */
    public static final int POSTGRES_PORT = 5432;

    /**
     * Ready means the real server accepts TCP connections: the readiness probe (pg_isready over the Unix socket)
     * also passes on the image's temporary init-time server, which listens on no TCP port, and a server that has
     * just bound its port still answers 57P03 (starting up), for which pg_isready exits non-zero. As the image's
     * superuser: an exec runs as root, and a probe as a role that does not exist leaves « FATAL: role "root" does
     * not exist » in the server's log, which a reader of the failure evidence would take for a problem.
     */
    public static final List<String> ACCEPTS_TCP = List.of("pg_isready", "-q", "-h", "127.0.0.1", "-p",
            Integer.toString(POSTGRES_PORT), "-U", "postgres");

    private Probes() {
    }

    /**
     * What a backend with no kubelet says of a container's livenessProbe: nothing there restarts a container whose
     * probe fails. Empty when the container has none.
     */
    public static java.util.Optional<String> livenessNotRun(ContainerPlan plan) {
        return plan.liveness().map(l -> "Container `" + plan.containerName() + "` of " + plan.source() + ": its livenessProbe ("
                + l.describe() + ") is not run on this backend, which has no kubelet to restart a container whose probe "
                + "fails; the Kubernetes backend applies it as written.");
    }

    /** The pod's readiness probe: the manifest's exec command, else the image's usual {@code pg_isready -U postgres}. */
    public static List<String> readiness(ContainerPlan plan) {
        return plan.readinessCommand().orElse(List.of("/bin/sh", "-c", "pg_isready -U postgres"));
    }

    /** The last lines of the server's own newest log file (logging_collector writes under PGDATA/log). */
    public static List<String> serverLogTail(int lines) {
        return List.of("/bin/sh", "-c", "f=$(ls -t \"$PGDATA\"/log/*.log 2>/dev/null | head -1); [ -n \"$f\" ] && tail -n "
                + lines + " \"$f\" || echo '(no server log file)'");
    }
}

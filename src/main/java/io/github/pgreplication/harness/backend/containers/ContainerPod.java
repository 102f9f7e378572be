package io.github.pgreplication.harness.backend.containers;

import io.github.pgreplication.harness.backend.AbstractPod;
import io.github.pgreplication.harness.backend.Endpoint;
import io.github.pgreplication.harness.backend.Probes;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.run.Secrets;
import org.testcontainers.containers.GenericContainer;

/** A pod of the guide played by one container: its plan, its labels, the container. */
final class ContainerPod extends AbstractPod {

    final GenericContainer<?> container;
    /** The image its container runs, as the backend resolved it. */
    final Images.Resolved image;
    private final ContainersBackend backend;
    private String lastLog = "";
    /** What removes this pod's container; registered with the backend's resources. */
    AutoCloseable releaser;

    ContainerPod(String name, ContainerPlan plan, GenericContainer<?> container, Images.Resolved image,
                 ContainersBackend backend) {
        super(name, plan);
        this.container = container;
        this.image = image;
        this.backend = backend;
    }

    @Override
    public Endpoint endpoint() {
        // Published on 127.0.0.1 only (see ContainersBackend.publishOnLoopback).
        return new Endpoint("127.0.0.1", container.getMappedPort(Probes.POSTGRES_PORT));
    }

    @Override
    public boolean isRunning() {
        return container.getContainerId() != null && container.isRunning();
    }

    /** The container's output, and the server's own log file while it runs (master.conf sets logging_collector). */
    @Override
    public String logTail(int lines) {
        StringBuilder out = new StringBuilder("== " + name() + ": container output (last " + lines + " lines)\n");
        if (container.getContainerId() != null) {
            try {
                lastLog = container.getLogs();
            } catch (RuntimeException gone) {
                // removed: keep what was read last
            }
        }
        String[] all = lastLog.split("\n");
        out.append(String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length)));
        if (isRunning()) {
            out.append("\n== ").append(name()).append(": server log file (last ").append(lines).append(" lines)\n")
                    .append(backend.serverLogTail(this, lines));
        }
        return Secrets.redact(out.toString());
    }

    @Override
    public boolean containerLogContains(String text) {
        rememberLogs();
        return lastLog.contains(text);
    }

    /** Reads the container's whole output while it is there; returns the last read (what is left once it is gone). */
    String rememberLogs() {
        try {
            lastLog = container.getLogs();
        } catch (RuntimeException gone) {
            // nothing more to read
        }
        return lastLog;
    }

    @Override
    public String toString() {
        return name() + " (container " + (container.getContainerId() == null ? "-" : container.getContainerId().substring(0, 12)) + ")";
    }
}

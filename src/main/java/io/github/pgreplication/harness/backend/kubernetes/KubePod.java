package io.github.pgreplication.harness.backend.kubernetes;

import io.fabric8.kubernetes.client.LocalPortForward;
import io.github.pgreplication.harness.backend.AbstractPod;
import io.github.pgreplication.harness.backend.Endpoint;
import io.github.pgreplication.harness.backend.Probes;
import io.github.pgreplication.harness.guide.ContainerPlan;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A pod of the guide in the run's namespace. The harness is the only actor in that namespace, so whether the
 * pod runs is what the harness did to it (started and ready; deleted or killed); the server is reached through
 * a port-forward of the API server on a free loopback port.
 */
final class KubePod extends AbstractPod {

    private final String namespace;
    private final PodExec exec;
    private final ClusterEvidence evidence;
    private volatile boolean running;
    private final Map<Integer, LocalPortForward> forwards = new HashMap<>();
    /** Removes this pod now (grace 0); registered with the backend's resources. */
    AutoCloseable releaser;
    /** The DeploymentConfig whose pod this is (its ReplicationController's), or null for a pod the harness made. */
    volatile String deploymentConfig;

    KubePod(String name, ContainerPlan plan, String namespace, PodExec exec, ClusterEvidence evidence) {
        super(name, plan);
        this.namespace = namespace;
        this.exec = exec;
        this.evidence = evidence;
    }

    /** A port-forward to the pod's port 5432 on 127.0.0.1, opened on first use and kept while the pod runs. */
    @Override
    public Endpoint endpoint() {
        return endpoint(Probes.POSTGRES_PORT);
    }

    /**
     * A port-forward to one of the pod's ports on 127.0.0.1 (a Service's targetPort, as its Endpoints resolved it),
     * opened on first use and kept while the pod runs: closed with the pod, its local port then refuses connections.
     */
    synchronized Endpoint endpoint(int podPort) {
        LocalPortForward forward = forwards.get(podPort);
        if (forward == null || !forward.isAlive()) {
            close(forward);
            forward = exec.portForward(name(), podPort);
            forwards.put(podPort, forward);
        }
        return new Endpoint("127.0.0.1", forward.getLocalPort());
    }

    synchronized void closeForward() {
        forwards.values().forEach(KubePod::close);
        forwards.clear();
    }

    private static void close(LocalPortForward forward) {
        if (forward != null) {
            try {
                forward.close();
            } catch (IOException | RuntimeException e) {
                // the pod is gone: nothing more to close
            }
        }
    }

    void running(boolean r) {
        running = r;
        if (!r) {
            closeForward();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The container output's and the server log file's last lines, and the namespace's last events; no file written. */
    @Override
    public String logTail(int lines) {
        return evidence.logTail(name(), plan(), running, lines);
    }

    /** Whether the pod's container output ({@code kubectl logs}) holds a text; only a yes or no leaves here. */
    @Override
    public boolean containerLogContains(String text) {
        return evidence.podLog(name()).contains(text);
    }

    @Override
    public String toString() {
        return name() + " (pod in namespace " + namespace + ")";
    }
}

package io.github.pgreplication.harness.backend.kubernetes;

import io.fabric8.kubernetes.client.LocalPortForward;
import io.github.pgreplication.harness.backend.AbstractPod;
import io.github.pgreplication.harness.backend.Endpoint;
import io.github.pgreplication.harness.guide.ContainerPlan;

/**
 * A pod of the guide in the run's namespace. The harness is the only actor in that namespace, so whether the
 * pod runs is what the harness did to it (started and ready; deleted or killed); the server is reached through
 * a port-forward of the API server on a free loopback port.
 */
final class KubePod extends AbstractPod {

    private final KubernetesBackend backend;
    private volatile boolean running;
    private LocalPortForward forward;
    /** Removes this pod now (grace 0); registered with the backend's resources. */
    AutoCloseable releaser;

    KubePod(String name, ContainerPlan plan, KubernetesBackend backend) {
        super(name, plan);
        this.backend = backend;
    }

    /** A port-forward to the pod's port 5432 on 127.0.0.1, opened on first use and kept while the pod runs. */
    @Override
    public synchronized Endpoint endpoint() {
        if (forward == null || !forward.isAlive()) {
            closeForward();
            forward = backend.portForward(name());
        }
        return new Endpoint("127.0.0.1", forward.getLocalPort());
    }

    synchronized void closeForward() {
        if (forward != null) {
            try {
                forward.close();
            } catch (java.io.IOException | RuntimeException e) {
                // the pod is gone: nothing more to close
            }
            forward = null;
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

    @Override
    public String logTail(int lines) {
        return backend.logTail(this, lines);
    }

    @Override
    public boolean containerLogContains(String text) {
        return backend.containerLogContains(this, text);
    }

    @Override
    public String toString() {
        return name() + " (pod in namespace " + backend.namespace() + ")";
    }
}

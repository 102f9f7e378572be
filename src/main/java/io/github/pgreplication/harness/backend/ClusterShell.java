package io.github.pgreplication.harness.backend;

import java.time.Duration;

/**
 * The cluster's own command line in the namespace of a backend's pods, so that the guide's {@code oc} commands run
 * as written, in bash. Where the cluster is not OpenShift, {@code oc} is kubectl (an adaptation the backend lists);
 * {@code oc project} switches the namespace of a kubeconfig private to this shell, never the user's.
 */
public interface ClusterShell {

    /** The project (namespace) the pods run in: what the guide's {@code <nom-du-projet>} stands for. */
    String project();

    /**
     * Runs a bash script in which {@code oc} is the cluster's CLI, in the project; stdin closed, output and errors
     * together, redacted. A script still running at the timeout (a watch, {@code -f}) is stopped, its output kept.
     */
    ContainerResult run(String script, Duration timeout);
}

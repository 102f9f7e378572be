package io.github.pgreplication.harness.backend;

import io.github.pgreplication.harness.guide.ContainerPlan;
import java.util.Map;
import java.util.Optional;

/** A running pod whose main container is a PostgreSQL server. */
public interface PostgresPod {

    String name();

    ContainerPlan plan();

    Map<String, String> labels();

    /** Where the harness reaches this pod's server (through its Service in the guide's terms). */
    Endpoint endpoint();

    boolean isRunning();

    /** The container's log and the server's own log file (logging_collector), last lines. */
    String logTail(int lines);

    /**
     * Whether the container's own output ({@code oc logs}: the server's stdout and stderr, not its log files)
     * holds a text. A yes or no only, so that a secret searched for never leaves the pod's log.
     */
    boolean containerLogContains(String text);

    /**
     * Records that an init container of this pod's template ran to completion before its main container started, as a
     * Deployment's pod runs it: where the harness, not a cluster's kubelet, runs the two in turn, its {@code oc logs POD
     * -c NAME} answers with that output as kubectl does with an init container's. On a cluster its API answers.
     */
    void ranAfter(String initContainer, ContainerResult result);

    /** An init container's output, recorded by {@link #ranAfter}; empty if this pod ran none of that name. */
    Optional<String> initContainerLog(String initContainer);
}

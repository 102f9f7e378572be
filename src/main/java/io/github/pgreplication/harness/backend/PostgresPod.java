package io.github.pgreplication.harness.backend;

import io.github.pgreplication.harness.guide.ContainerPlan;
import java.util.Map;

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
}

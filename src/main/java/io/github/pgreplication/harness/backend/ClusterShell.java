package io.github.pgreplication.harness.backend;

import io.github.pgreplication.harness.run.Waits;
import java.time.Duration;
import java.util.List;

/**
 * The cluster's own command line in the namespace of a backend's pods, so that the guide's {@code oc} commands run
 * as written, in bash. Where the cluster is not OpenShift, {@code oc} is kubectl (an adaptation the backend lists);
 * {@code oc project} switches the namespace of a kubeconfig private to this shell, never the user's. Where the pods
 * are not a cluster's (the local and containers backends), {@code oc} is the backend's own ({@link OcServer}): the
 * verbs the guide's lines use, on the backend's pods, with {@code oc}'s semantics where they decide an outcome.
 */
public interface ClusterShell {

    /**
     * The exit status of a backend's own {@code oc} for a verb, resource type or flag it does not provide (after
     * printing {@code oc: <what> is not provided by the <backend> backend}): the line did not run on that backend,
     * and must be reported as not run, never as passed. 125, as {@code git bisect run} has it for « cannot test ».
     */
    int NOT_PROVIDED = 125;

    /** The project (namespace) the pods run in: what the guide's {@code <nom-du-projet>} stands for. */
    String project();

    /**
     * Runs a bash script in which {@code oc} is the cluster's CLI, in the project; stdin closed, output and errors
     * together, redacted. A script still running at the timeout (a watch, {@code -f}) is stopped, its output kept.
     */
    ContainerResult run(String script, Duration timeout);

    /**
     * Runs {@code line} at a terminal, as its reader types it ({@code oc run … -it}): bash in a pseudo-terminal
     * (script(1)), where each turn waits, by name, for its prompt in what the terminal printed since the last turn, then
     * types its keys and Enter. Output and errors together, redacted, without the terminal's escape sequences and
     * carriage returns. A prompt that does not come fails the wait with what the terminal printed last; a line still
     * running after its last turn and {@code timeout} is stopped.
     */
    ContainerResult atTerminal(String line, List<TerminalTurn> turns, Waits waits, Duration timeout);
}

package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.ClusterShell;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.backend.TerminalTurn;
import io.github.pgreplication.harness.run.Waits;
import java.time.Duration;
import java.util.List;

/**
 * The backend's cluster shell as one pair's commands run in it: each script with the pair's names
 * ({@link PairManifests#inPairNames}), so that the guide's {@code oc get pods -l app=postgresql-slave} finds this pair's
 * pod where pairs share a namespace under names of their own. Where they do not, scripts run unchanged.
 */
record PairShell(ClusterShell shell, PairManifests manifests) implements ClusterShell {

    @Override
    public String project() {
        return shell.project();
    }

    @Override
    public ContainerResult run(String script, Duration timeout) {
        return shell.run(manifests.inPairNames(script), timeout);
    }

    /** The line and what the reader types (a secret aside) with the pair's names. */
    @Override
    public ContainerResult atTerminal(String line, List<TerminalTurn> turns, Waits waits, Duration timeout) {
        return shell.atTerminal(manifests.inPairNames(line), turns.stream().map(t -> t.secret() ? t
                : t.withKeys(manifests.inPairNames(t.keys()))).toList(), waits, timeout);
    }
}

package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.ClusterShell;
import io.github.pgreplication.harness.backend.ContainerResult;
import java.time.Duration;

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
}

package io.github.pgreplication.harness.backend.kubernetes;

import io.github.pgreplication.harness.backend.Backend;
import io.github.pgreplication.harness.backend.OcContract;
import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.run.Waits;
import io.github.pgreplication.harness.settings.HarnessSettings;
import org.junit.jupiter.api.Assumptions;

/**
 * The oc contract on a Kubernetes cluster, whose {@code oc} is the cluster's CLI (kubectl behind the thin wrapper, or
 * OpenShift's oc): the reference the backends' own {@code oc} is held to. Only when asked for
 * ({@code -Dharness.backend=kubernetes}), as the backend contract.
 */
class KubernetesOcContractIT extends OcContract {

    @Override
    protected void assumeAvailable() {
        Assumptions.assumeTrue("kubernetes".equals(settings.backend()),
                "harness.backend is not kubernetes: the cluster's oc is checked only when asked for");
        var problems = KubernetesBackend.preflight(settings);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the Kubernetes backend cannot run here: " + problems);
        }
    }

    @Override
    protected Backend create(HarnessSettings settings, ResourceManager resources, Waits waits) {
        return new KubernetesBackend(settings, resources, waits);
    }

    @Override
    protected String image() {
        return "postgres:" + settings.pgMajor().orElse(15);
    }

    @Override
    protected boolean ownOc() {
        return false;
    }
}

package io.github.pgreplication.harness.backend.kubernetes;

import io.github.pgreplication.harness.backend.Backend;
import io.github.pgreplication.harness.backend.BackendContract;
import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.run.Waits;
import io.github.pgreplication.harness.settings.HarnessSettings;
import org.junit.jupiter.api.Assumptions;

/**
 * The backend contract on a Kubernetes cluster: only when asked for ({@code -Dharness.backend=kubernetes}, with
 * {@code harness.cluster} naming a cluster that is up); it never starts one. Asked for and unreachable, it fails
 * with the preflight's message.
 */
class KubernetesBackendContractIT extends BackendContract {

    @Override
    protected void assumeAvailable() {
        Assumptions.assumeTrue("kubernetes".equals(settings.backend()),
                "harness.backend is not kubernetes: the Kubernetes backend is checked only when asked for");
        requireNone("Kubernetes", KubernetesBackend.preflight(settings));
    }

    @Override
    protected Backend create(HarnessSettings settings, ResourceManager resources, Waits waits) {
        return new KubernetesBackend(settings, resources, waits);
    }

    @Override
    protected String image() {
        return "postgres:" + settings.pgMajor().orElse(15);
    }
}

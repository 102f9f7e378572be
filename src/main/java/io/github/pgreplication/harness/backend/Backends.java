package io.github.pgreplication.harness.backend;

import io.github.pgreplication.harness.backend.local.LocalBackend;
import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.settings.HarnessSettings;

/** Chooses the backend named by {@code harness.backend}. */
public final class Backends {

    private Backends() {
    }

    public static Backend create(HarnessSettings settings, ResourceManager resources) {
        return switch (settings.backend()) {
            case "local" -> new LocalBackend(settings, resources);
            case "containers" -> new io.github.pgreplication.harness.backend.containers.ContainersBackend(settings);
            case "kubernetes" -> new io.github.pgreplication.harness.backend.kubernetes.KubernetesBackend(settings);
            default -> throw new IllegalArgumentException("harness.backend=" + settings.backend()
                    + " is not available: this build has `local` (PostgreSQL processes), `containers` (Docker, "
                    + "through Testcontainers) and `kubernetes` (a cluster chosen by harness.cluster=offline|kubeconfig|k3s).");
        };
    }
}

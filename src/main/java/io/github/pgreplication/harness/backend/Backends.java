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
            default -> throw new IllegalArgumentException("harness.backend=" + settings.backend()
                    + " is not available: this build has `local` (PostgreSQL processes) and `containers` (Docker, "
                    + "through Testcontainers); the k3s and existing-cluster backends are not built yet.");
        };
    }
}

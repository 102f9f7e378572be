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
            default -> throw new IllegalArgumentException("harness.backend=" + settings.backend()
                    + " is not available: this build has the `local` backend (PostgreSQL processes) only; the "
                    + "containers, k3s and existing-cluster backends are not built yet.");
        };
    }
}

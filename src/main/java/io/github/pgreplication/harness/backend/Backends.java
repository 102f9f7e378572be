package io.github.pgreplication.harness.backend;

import io.github.pgreplication.harness.backend.local.LocalBackend;
import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.settings.HarnessSettings;

/** Chooses the backend named by {@code harness.backend}. */
public final class Backends {

    private Backends() {
    }

    /**
     * What the backend named by the settings needs and does not have, checked before anything starts (binaries,
     * the user servers run as, the Docker engine, the images of {@code imageMajors}); empty when all is there.
     */
    public static java.util.List<String> preflight(HarnessSettings settings, java.util.Set<Integer> imageMajors) {
        try {
            return switch (settings.backend()) {
                case "local" -> LocalBackend.preflight(settings, imageMajors);
                case "containers" -> io.github.pgreplication.harness.backend.containers.ContainersBackend.preflight(settings,
                        imageMajors);
                case "kubernetes" -> io.github.pgreplication.harness.backend.kubernetes.KubernetesBackend.preflight(settings);
                default -> java.util.List.of(unavailable(settings));
            };
        } catch (RuntimeException e) {
            return java.util.List.of("harness.backend=" + settings.backend() + ": " + e.getMessage());
        }
    }

    private static String unavailable(HarnessSettings settings) {
        return "harness.backend=" + settings.backend() + " is not available: this build has `local` (PostgreSQL "
                + "processes), `containers` (Docker, through Testcontainers) and `kubernetes` (a cluster chosen by "
                + "harness.cluster=offline|kubeconfig|k3s)";
    }

    public static Backend create(HarnessSettings settings, ResourceManager resources) {
        return switch (settings.backend()) {
            case "local" -> new LocalBackend(settings, resources);
            case "containers" -> new io.github.pgreplication.harness.backend.containers.ContainersBackend(settings);
            case "kubernetes" -> new io.github.pgreplication.harness.backend.kubernetes.KubernetesBackend(settings);
            default -> throw new IllegalArgumentException(unavailable(settings));
        };
    }
}

package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.Backend;
import io.github.pgreplication.harness.backend.containers.ContainersBackend;
import io.github.pgreplication.harness.backend.kubernetes.KubernetesBackend;
import io.github.pgreplication.harness.backend.local.LocalBackend;
import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.run.Waits;
import io.github.pgreplication.harness.settings.HarnessSettings;

/**
 * Chooses the backend named by {@code harness.backend}. Here, above the backends, so that the {@code backend}
 * package (the interface and what the backends share) imports none of its implementations.
 */
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
                case "containers" -> ContainersBackend.preflight(settings, imageMajors);
                case "kubernetes" -> KubernetesBackend.preflight(settings);
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

    /** Whether the backend of the settings runs the pods on a cluster, where the guide's {@code oc} commands can run. */
    public static boolean runsOnACluster(HarnessSettings settings) {
        return "kubernetes".equals(settings.backend());
    }

    /**
     * The backend of a pair. Every backend records what it creates in a part of the run's {@code resources} (one
     * stack, one shutdown hook per run) and waits with the run's {@code waits} (one timeout scale per run).
     */
    public static Backend create(HarnessSettings settings, ResourceManager resources, Waits waits) {
        return switch (settings.backend()) {
            case "local" -> new LocalBackend(settings, resources, waits);
            case "containers" -> new ContainersBackend(settings, resources, waits);
            case "kubernetes" -> new KubernetesBackend(settings, resources, waits);
            default -> throw new IllegalArgumentException(unavailable(settings));
        };
    }
}

package io.github.pgreplication.harness.backend.kind;

import io.github.pgreplication.harness.backend.Backend;
import io.github.pgreplication.harness.backend.containers.ContainersBackend;
import io.github.pgreplication.harness.backend.kubernetes.KubernetesBackend;
import io.github.pgreplication.harness.backend.local.LocalBackend;
import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.run.Waits;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The kinds of backend, named by {@code harness.backend}: each owns how its backend is made, what it checks before
 * anything starts, how many scenarios run at once on it, and how the harness reaches a Service on it from this host.
 * Adding a backend is one package under {@code backend} and one constant here. It sits above the implementations so
 * that the {@code backend} package (the interface and what the backends share) imports none of them.
 */
public enum BackendKind {

    /** PostgreSQL processes on this host; CPU-bound: 1.5 scenarios per core measured best. */
    LOCAL("local", "PostgreSQL processes", false, 1.5,
            "127.0.0.1 and the server's free port (psql, pgjdbc and node run on the host, as the servers do)",
            LocalBackend::preflight, LocalBackend::new),

    /** Docker containers; a third of a run's CPU is the engine's, so 2.5 scenarios per core keep both cores busy. */
    CONTAINERS("containers", "Docker, through Testcontainers", false, 2.5,
            "a port published on 127.0.0.1 (psql, pgjdbc and node run on the host, not in a container of the pair's "
                    + "network)",
            ContainersBackend::preflight, ContainersBackend::new),

    /** A Kubernetes cluster chosen by {@code harness.cluster}; the guide's {@code oc} commands run only here. */
    KUBERNETES("kubernetes", "a cluster chosen by harness.cluster=offline|kubeconfig|k3s", true, 1.5,
            "a port-forward of the API server from a free port of 127.0.0.1 to the Service, as `kubectl port-forward "
                    + "svc/NAME` (to the pod its Endpoints list, on its targetPort) (psql, "
                    + "pgjdbc and node run on the host, outside the cluster)",
            (settings, imageMajors) -> KubernetesBackend.preflight(settings), KubernetesBackend::new);

    /** What a kind checks before anything starts. */
    @FunctionalInterface
    private interface Checks {
        List<String> of(HarnessSettings settings, Set<Integer> imageMajors);
    }

    /** How a kind makes a pair's backend. */
    @FunctionalInterface
    private interface Factory {
        Backend make(HarnessSettings settings, ResourceManager resources, Waits waits);
    }

    private final String settingName;
    private final String runs;
    private final boolean cluster;
    private final double scenariosPerCore;
    private final String hostReach;
    private final Checks checks;
    private final Factory factory;

    BackendKind(String settingName, String runs, boolean cluster, double scenariosPerCore, String hostReach,
                Checks checks, Factory factory) {
        this.settingName = settingName;
        this.runs = runs;
        this.cluster = cluster;
        this.scenariosPerCore = scenariosPerCore;
        this.hostReach = hostReach;
        this.checks = checks;
        this.factory = factory;
    }

    /** The kind {@code harness.backend} names; an error listing the kinds when it names none. */
    public static BackendKind of(HarnessSettings settings) {
        return named(settings.backend());
    }

    /** The kind of this name ({@code local}, {@code containers}, {@code kubernetes}). */
    public static BackendKind named(String name) {
        return Arrays.stream(values()).filter(k -> k.settingName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("harness.backend=" + name + " is not available: this build "
                        + "has " + Arrays.stream(values()).map(k -> "`" + k.settingName + "` (" + k.runs + ")")
                        .collect(Collectors.joining(", "))));
    }

    /** The value of {@code harness.backend} that names this kind. */
    public String settingName() {
        return settingName;
    }

    /** Whether the pods run on a cluster, where the guide's {@code oc} commands can run. */
    public boolean runsOnACluster() {
        return cluster;
    }

    /**
     * Whether a pod reaches a Service by its name, as the guide's lines do from a pod ({@code ping postgresql}): through
     * the cluster's DNS, or the containers backend's network aliases; the local backend's processes have no DNS of the
     * run's own, so a name there is the host's.
     */
    public boolean podsReachServicesByName() {
        return this != LOCAL;
    }

    /** How many scenarios run at once per core on this kind, as measured (README, « Speed »). */
    public double scenariosPerCore() {
        return scenariosPerCore;
    }

    /** How the harness, on this host, reaches a Service of this kind's pairs: what the report states as an adaptation. */
    public String hostReach() {
        return hostReach;
    }

    /**
     * What this kind needs and does not have, checked before anything starts (binaries, the user servers run as, the
     * Docker engine, the images of {@code imageMajors}, the cluster); empty when all is there.
     */
    public List<String> preflight(HarnessSettings settings, Set<Integer> imageMajors) {
        try {
            return checks.of(settings, imageMajors);
        } catch (RuntimeException e) {
            return List.of("harness.backend=" + settingName + ": " + e.getMessage());
        }
    }

    /**
     * The backend of a pair. Every backend records what it creates in a part of the run's {@code resources} (one
     * stack, one shutdown hook per run) and waits with the run's {@code waits} (one timeout scale per run).
     */
    public Backend create(HarnessSettings settings, ResourceManager resources, Waits waits) {
        return factory.make(settings, resources, waits);
    }
}

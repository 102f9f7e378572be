package io.github.pgreplication.harness.backend;

import java.util.List;
import java.util.function.Supplier;

/**
 * What the backends whose pods are not a cluster's share in what they give their {@code oc}: their name, their
 * project, their pods, the Secrets and Services applied, the deletions (the backend's own). Each adds its own exec,
 * log and claims.
 */
public abstract class BackendOcTarget implements OcTarget {

    private final String backendName;
    private final Backend backend;
    private final String project;
    private final Supplier<? extends List<? extends AbstractPod>> pods;
    private final OcSecrets secrets;
    private final ServiceRoutes services;

    protected BackendOcTarget(String backendName, Backend backend, String project,
                              Supplier<? extends List<? extends AbstractPod>> pods, OcSecrets secrets, ServiceRoutes services) {
        this.backendName = backendName;
        this.backend = backend;
        this.project = project;
        this.pods = pods;
        this.secrets = secrets;
        this.services = services;
    }

    @Override
    public String backendName() {
        return backendName;
    }

    @Override
    public String project() {
        return project;
    }

    @Override
    public List<? extends AbstractPod> pods() {
        return pods.get();
    }

    @Override
    public List<OcSecrets.Secret> secrets() {
        return secrets.all();
    }

    @Override
    public void deletePod(PostgresPod pod) {
        backend.deletePod(pod);
    }

    @Override
    public boolean hasService(String name) {
        return services.has(name);
    }

    @Override
    public void deleteService(String name) {
        backend.deleteService(name);
    }

    @Override
    public void deleteClaim(String name) {
        backend.deleteClaim(name);
    }

    /**
     * An exec the container runtime could not start (its executable missing): refused as kubectl reports it from a
     * containerd node, exit 1, with the runtime's own words ({@code OCI runtime exec failed: …}).
     */
    public static OcArgs.Refused execNotStarted(String runtimeError) {
        return new OcArgs.Refused("error: Internal error occurred: error executing command in container: failed to exec in "
                + "container: " + runtimeError);
    }
}

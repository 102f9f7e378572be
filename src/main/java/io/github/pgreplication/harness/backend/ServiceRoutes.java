package io.github.pgreplication.harness.backend;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.github.pgreplication.harness.run.FreePorts;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The Services applied on a backend, and how each routes: to a running pod whose labels its selector matches. */
public final class ServiceRoutes {

    private final Map<String, Service> services = new LinkedHashMap<>();

    public synchronized void apply(Service service) {
        services.put(service.getMetadata().getName(), service);
    }

    public synchronized void delete(String name) {
        services.remove(name);
    }

    public synchronized boolean has(String name) {
        return services.containsKey(name);
    }

    public synchronized Collection<Service> all() {
        return List.copyOf(services.values());
    }

    /**
     * The Service as a host client reaches it on a backend without a cluster: the endpoint of the running pod it
     * selects when its targetPort leads to the server's port in the pod (5432; a named targetPort is taken as the
     * containerPort the Preflight judged it to name), else a port of 127.0.0.1 where nothing listens ({@link FreePorts}: one
     * no server of this run is given, below the range where others are handed out unasked): the pod has no
     * server on that targetPort, so the Service gives no connection. An error naming the selector and the pods when
     * no running pod is selected.
     */
    public Endpoint endpoint(String name, Collection<? extends PostgresPod> pods) {
        PostgresPod pod = pod(name, pods);
        Service svc;
        synchronized (this) {
            svc = services.get(name);
        }
        return leadsToTheServer(svc) ? pod.endpoint() : new Endpoint("127.0.0.1", FreePorts.loopback());
    }

    /** Does the Service's port (5432, or its only port) have a targetPort that leads to the server's port 5432? */
    static boolean leadsToTheServer(Service svc) {
        List<ServicePort> ports = svc.getSpec().getPorts() == null ? List.of() : svc.getSpec().getPorts();
        Optional<ServicePort> port = ports.stream().filter(p -> Objects.equals(p.getPort(), Probes.POSTGRES_PORT))
                .findFirst().or(() -> ports.size() == 1 ? Optional.of(ports.get(0)) : Optional.empty());
        if (port.isEmpty()) {
            return false;
        }
        IntOrString target = port.get().getTargetPort();
        if (target == null || (target.getIntVal() == null && target.getStrVal() == null)) {
            return Objects.equals(port.get().getPort(), Probes.POSTGRES_PORT);
        }
        return target.getIntVal() == null || target.getIntVal() == Probes.POSTGRES_PORT;
    }

    /** The running pod the Service routes to (the first started); an error naming the selector and the pods when none. */
    public synchronized <P extends PostgresPod> P pod(String name, Collection<P> pods) {
        Service svc = services.get(name);
        if (svc == null) {
            throw new IllegalStateException("no Service " + name + " has been applied (known: " + services.keySet() + ")");
        }
        // the selector first: asking whether a pod runs is a call to the Docker engine or the cluster
        return pods.stream().filter(p -> selects(svc, p.labels()) && p.isRunning()).findFirst()
                .orElseThrow(() -> new IllegalStateException("Service " + name + " selects " + svc.getSpec().getSelector()
                        + " and no running pod has these labels (pods: " + pods.stream().filter(PostgresPod::isRunning)
                        .map(p -> p.name() + p.labels()).toList() + ")"));
    }

    /** The names of the Services applied so far whose selector picks a pod with these labels. */
    public synchronized List<String> selecting(Map<String, String> podLabels) {
        return services.values().stream().filter(s -> selects(s, podLabels)).map(s -> s.getMetadata().getName()).toList();
    }

    /** Does the Service's selector pick a pod with these labels? An empty selector picks none. */
    public static boolean selects(Service svc, Map<String, String> podLabels) {
        Map<String, String> selector = svc.getSpec().getSelector();
        return selector != null && !selector.isEmpty() && podLabels.entrySet().containsAll(selector.entrySet());
    }
}

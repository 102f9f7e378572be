package io.github.pgreplication.harness.backend;

import io.fabric8.kubernetes.api.model.Service;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** The endpoint of a running pod the Service selects; an error naming the selector and the pods when none. */
    public Endpoint endpoint(String name, Collection<? extends PostgresPod> pods) {
        return pod(name, pods).endpoint();
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

package io.github.pgreplication.harness.backend.kubernetes;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.github.pgreplication.harness.backend.Endpoint;
import io.github.pgreplication.harness.backend.Probes;
import io.github.pgreplication.harness.backend.ServiceRoutes;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The pair's Services on the cluster: applied as such, and a Service reached the way {@code kubectl port-forward
 * svc/NAME PORT} reaches it: through a port-forward to the pod the Service's Endpoints list, on the port the
 * cluster's Endpoints give for the Service's own {@code port} (its targetPort, resolved by number or by the name of a
 * container port). A Service whose targetPort does not lead to the server gives no connection, as it would to an
 * application; a Service whose named targetPort no container has lists no pod, and the wait for it fails.
 */
final class ClusterServices {

    private final KubernetesClient client;
    private final String namespace;
    /** The pair's labels ({@link PairScope#labels()}), added to each Service's own. */
    private final Map<String, String> own;
    private final PodStates states;
    private final ServiceRoutes services = new ServiceRoutes();
    /** The pod port each Service routes to, by {@code service/pod}, once its Endpoints listed that pod. */
    private final Map<String, Integer> routed = new ConcurrentHashMap<>();

    ClusterServices(KubernetesClient client, PairScope scope, PodStates states) {
        this.client = client;
        this.namespace = scope.namespace();
        this.own = scope.labels();
        this.states = states;
    }

    /** {@code oc apply -f} of the Service, in the run's namespace (its clusterIP left to the cluster). */
    void apply(Service service) {
        Service s = new ServiceBuilder(service).editMetadata().withNamespace(namespace).addToLabels(own).withResourceVersion(null)
                .withUid(null).endMetadata().editSpec().withClusterIP(null).withClusterIPs((List<String>) null).endSpec().build();
        client.services().inNamespace(namespace).resource(s).createOr(NonDeletingOperation::update);
        services.apply(service);
        forget(service.getMetadata().getName());
    }

    void delete(String serviceName) {
        client.services().inNamespace(namespace).withName(serviceName).delete();
        services.delete(serviceName);
        forget(serviceName);
    }

    private void forget(String serviceName) {
        routed.keySet().removeIf(k -> k.startsWith(serviceName + "/"));
    }

    /**
     * The Service as a client of it reaches it: once its Endpoints list the running pod its selector picks among
     * {@code pods}, a port-forward of the API server from a free port of 127.0.0.1 to that pod, on the port the
     * Endpoints give for the Service's port (the pod's, kept while it runs and closed with it).
     */
    Endpoint endpoint(String serviceName, Collection<KubePod> pods) {
        KubePod pod = services.pod(serviceName, pods);
        int target = routed.computeIfAbsent(serviceName + "/" + pod.name(), k -> {
            states.await("Service " + serviceName + "'s Endpoints list pod " + pod.name(), Duration.ofSeconds(30),
                    () -> endpointPods(serviceName).contains(pod.name()),
                    () -> "Endpoints of " + serviceName + ": " + endpointPods(serviceName));
            return targetPort(serviceName, pod.name());
        });
        return pod.endpoint(target);
    }

    /**
     * The pod port the cluster routes the Service's port to: the Service's port for PostgreSQL (5432, or its only
     * port), and the Endpoints' port of that name in the subset that lists the pod (the targetPort as the endpoints
     * controller resolved it).
     */
    private int targetPort(String serviceName, String podName) {
        Service svc = client.services().inNamespace(namespace).withName(serviceName).get();
        List<ServicePort> ports = svc == null || svc.getSpec().getPorts() == null ? List.of() : svc.getSpec().getPorts();
        ServicePort port = ports.stream().filter(p -> Objects.equals(p.getPort(), Probes.POSTGRES_PORT)).findFirst()
                .or(() -> ports.size() == 1 ? Optional.of(ports.get(0)) : Optional.empty())
                .orElseThrow(() -> new IllegalStateException("Service " + serviceName + " has no port "
                        + Probes.POSTGRES_PORT + " and not a single port: " + ports.stream().map(ServicePort::getPort).toList()));
        Endpoints e = client.endpoints().inNamespace(namespace).withName(serviceName).get();
        List<EndpointSubset> subsets = e == null || e.getSubsets() == null ? List.of() : e.getSubsets();
        return subsets.stream().filter(s -> s.getAddresses() != null && s.getAddresses().stream()
                        .anyMatch(a -> a.getTargetRef() != null && podName.equals(a.getTargetRef().getName())))
                .flatMap(s -> s.getPorts() == null ? Stream.<EndpointPort>empty() : s.getPorts().stream())
                .filter(p -> Objects.equals(p.getName(), port.getName()))
                .map(EndpointPort::getPort).findFirst()
                .orElseThrow(() -> new IllegalStateException("the Endpoints of Service " + serviceName + " give no port "
                        + port.getName() + " (" + port.getPort() + " → targetPort " + port.getTargetPort() + ") for pod "
                        + podName + ": " + subsets));
    }

    private List<String> endpointPods(String serviceName) {
        Endpoints e = client.endpoints().inNamespace(namespace).withName(serviceName).get();
        if (e == null || e.getSubsets() == null) {
            return List.of();
        }
        return e.getSubsets().stream().flatMap(s -> s.getAddresses() == null ? Stream.<EndpointAddress>empty()
                        : s.getAddresses().stream())
                .map(a -> a.getTargetRef() == null ? a.getIp() : a.getTargetRef().getName()).toList();
    }
}

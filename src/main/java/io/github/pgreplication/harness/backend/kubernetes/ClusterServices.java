package io.github.pgreplication.harness.backend.kubernetes;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.github.pgreplication.harness.backend.Endpoint;
import io.github.pgreplication.harness.backend.ServiceRoutes;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The pair's Services on the cluster: applied as such, and a Service's endpoint the running pod its selector picks,
 * once the cluster's own Endpoints list that pod (the real routing).
 */
final class ClusterServices {

    private final KubernetesClient client;
    private final String namespace;
    private final PodStates states;
    private final ServiceRoutes services = new ServiceRoutes();
    private final Set<String> routed = ConcurrentHashMap.newKeySet();

    ClusterServices(KubernetesClient client, String namespace, PodStates states) {
        this.client = client;
        this.namespace = namespace;
        this.states = states;
    }

    /** {@code oc apply -f} of the Service, in the run's namespace (its clusterIP left to the cluster). */
    void apply(Service service) {
        Service s = new ServiceBuilder(service).editMetadata().withNamespace(namespace).withResourceVersion(null)
                .withUid(null).endMetadata().editSpec().withClusterIP(null).withClusterIPs((List<String>) null).endSpec().build();
        client.services().inNamespace(namespace).resource(s).createOr(NonDeletingOperation::update);
        services.apply(service);
    }

    void delete(String serviceName) {
        client.services().inNamespace(namespace).withName(serviceName).delete();
        services.delete(serviceName);
    }

    /** The endpoint of the running pod the Service selects among {@code pods}, once its Endpoints list that pod. */
    Endpoint endpoint(String serviceName, Collection<KubePod> pods) {
        KubePod pod = services.pod(serviceName, pods);
        if (routed.add(serviceName + "/" + pod.name())) {
            states.await("Service " + serviceName + "'s Endpoints list pod " + pod.name(), Duration.ofSeconds(30),
                    () -> endpointPods(serviceName).contains(pod.name()),
                    () -> "Endpoints of " + serviceName + ": " + endpointPods(serviceName));
        }
        return pod.endpoint();
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

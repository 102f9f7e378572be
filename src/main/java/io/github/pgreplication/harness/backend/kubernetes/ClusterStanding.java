package io.github.pgreplication.harness.backend.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a pair's run stood on its cluster, as the report says it: the cluster's version, node and runtime, the rights
 * its credentials held, and the pod security that admitted its pods. Each is asked once.
 */
final class ClusterStanding {

    private final Cluster cluster;
    private final KubernetesClient client;
    private final PairScope scope;
    private volatile String runtime;
    private volatile String rightsHeld;
    private volatile String securityProfile;

    ClusterStanding(Cluster cluster, PairScope scope) {
        this.cluster = cluster;
        this.client = cluster.client();
        this.scope = scope;
    }

    /** The cluster's nodes; empty when the run's credentials may not list them (a tenant's may not: 403). */
    static Optional<List<Node>> nodes(KubernetesClient client) {
        try {
            return Optional.of(client.nodes().list().getItems());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 403) {
                throw e;
            }
            return Optional.empty();
        }
    }

    /** The cluster behind every figure: its version, kind, kubelet and container runtime. */
    String runtime() {
        if (runtime == null) {
            try {
                String version = client.getKubernetesVersion().getGitVersion();
                String node = nodes(client).map(all -> all.stream().findFirst().map(n -> n.getStatus().getNodeInfo())
                        .map(i -> "kubelet " + i.getKubeletVersion() + ", " + i.getContainerRuntimeVersion()).orElse("no node"))
                        .orElse("its nodes not readable with the run's credentials");
                runtime = "Kubernetes " + version + " (" + cluster.kind() + " cluster; " + node + ")";
            } catch (KubernetesClientException e) {
                return "Kubernetes (" + cluster.kind() + " cluster, unreachable: " + e.getMessage() + ")";
            }
        }
        return runtime;
    }

    /** The rights the run held in its namespace, as SelfSubjectAccessReview answers. */
    String rightsHeld() {
        if (rightsHeld == null) {
            rightsHeld = scope.shared() ? Rights.held(client, scope.namespace())
                    : "a namespace per pair, made with the run's credentials";
        }
        return rightsHeld;
    }

    /** A server pod of the pair, as the cluster admitted it: the first one names the pair's pod security. */
    void admitted(Pod pod) {
        if (securityProfile == null && pod != null) {
            securityProfile = securityProfile(Optional.ofNullable(pod.getMetadata().getAnnotations()).orElse(Map.of()));
        }
    }

    /**
     * The pod security that admitted the pair's server pods, as the cluster annotated them: an OpenShift SCC, a
     * PodSecurityPolicy, or none (the pods run as their images' users).
     */
    String securityProfile() {
        return securityProfile == null ? "no pod started" : securityProfile;
    }

    private static String securityProfile(Map<String, String> a) {
        if (a.containsKey("openshift.io/scc")) {
            return "pods admitted under the SecurityContextConstraints " + a.get("openshift.io/scc");
        }
        if (a.containsKey("kubernetes.io/psp")) {
            String psp = a.get("kubernetes.io/psp");
            return "pods admitted under the PodSecurityPolicy " + psp + ("pgrh-restricted".equals(psp)
                    ? " (k8s/offline/RESTRICTED.md: as close to OpenShift's restricted-v2 as Kubernetes 1.20 allows)" : "");
        }
        return "no pod security admission (no SCC, no PodSecurityPolicy annotated the pods): they run as their images ask";
    }
}

package io.github.pgreplication.harness.backend.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.github.pgreplication.harness.guide.DeploymentPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * OpenShift's DeploymentConfig ({@code apps.openshift.io/v1}) where the cluster serves it: OpenShift, or the offline
 * cluster's custom resource and controller (k8s/offline/deploymentconfigs). A config is applied with the pod template
 * the harness would run as a pod, and the cluster rolls it out: each new template a new version, a
 * ReplicationController {@code NAME-VERSION} whose pod carries the labels {@code deploymentconfig=NAME} and {@code
 * deployment=NAME-VERSION}.
 */
final class DeploymentConfigs {

    static final String API_VERSION = "apps.openshift.io/v1";
    static final String KIND = "DeploymentConfig";

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, String> own;

    DeploymentConfigs(KubernetesClient client, PairScope scope) {
        this.client = client;
        this.namespace = scope.namespace();
        this.own = scope.labels();
    }

    /** Whether the cluster serves {@code deploymentconfigs} in {@code apps.openshift.io/v1}. */
    static boolean served(KubernetesClient client) {
        try {
            var resources = client.getApiResources(API_VERSION);
            return resources != null && resources.getResources().stream().anyMatch(r -> "deploymentconfigs".equals(r.getName()));
        } catch (KubernetesClientException e) {
            return false;
        }
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> configs() {
        return client.genericKubernetesResources(API_VERSION, KIND).inNamespace(namespace);
    }

    /**
     * Applies the config {@code config.name()} with {@code pod}'s labels and spec as its template, its selector,
     * replicas and strategy as {@code config} gives them (a config that names no strategy gets OpenShift's default,
     * Rolling), and a ConfigChange trigger, as the guide's master has. Returns the generation the cluster must observe.
     */
    long apply(DeploymentPlan config, Pod pod) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("replicas", config.replicas());
        spec.put("selector", config.selector());
        spec.put("strategy", Map.of("type", config.strategyType().orElse("Rolling")));
        spec.put("triggers", List.of(Map.of("type", "ConfigChange")));
        spec.put("template", Serialization.jsonMapper().convertValue(new PodTemplateSpecBuilder().withNewMetadata()
                .withLabels(pod.getMetadata().getLabels()).endMetadata().withSpec(pod.getSpec()).build(), Map.class));
        GenericKubernetesResource existing = configs().withName(config.name()).get();
        GenericKubernetesResource applied;
        if (existing == null) {
            applied = configs().resource(new GenericKubernetesResourceBuilder().withApiVersion(API_VERSION).withKind(KIND)
                    .withNewMetadata().withName(config.name()).withLabels(own).endMetadata()
                    .addToAdditionalProperties("spec", spec).build()).create();
        } else {
            // the whole spec replaced, with no resourceVersion to meet: the controller writes the status meanwhile
            applied = configs().withName(config.name()).patch(PatchContext.of(PatchType.JSON),
                    Serialization.asJson(List.of(Map.of("op", "replace", "path", "/spec", "value", spec))));
        }
        return Optional.ofNullable(applied.getMetadata().getGeneration()).orElse(1L);
    }

    /** The config's generation now (its spec's version, which its controller observes). */
    long generation(String name) {
        GenericKubernetesResource d = configs().withName(name).get();
        if (d == null) {
            throw new IllegalStateException("deploymentconfig " + name + " is not in namespace " + namespace);
        }
        return Optional.ofNullable(d.getMetadata().getGeneration()).orElse(1L);
    }

    /** {@code oc scale dc/NAME --replicas=N}. */
    void scale(String name, int replicas) {
        configs().withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                Serialization.asJson(Map.of("spec", Map.of("replicas", replicas))));
    }

    /** The config's latest version once its controller has observed {@code generation}; empty before. */
    Optional<Long> observedVersion(String name, long generation) {
        GenericKubernetesResource d = configs().withName(name).get();
        if (d == null || !(d.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
            return Optional.empty();
        }
        long observed = number(status.get("observedGeneration"));
        return observed >= generation ? Optional.of(number(status.get("latestVersion"))) : Optional.empty();
    }

    /** The name of the pod of the config's version that is not being deleted, if it has one. */
    Optional<String> pod(String name, long version) {
        return client.pods().inNamespace(namespace).withLabel("deploymentconfig", name)
                .withLabel("deployment", name + "-" + version).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).map(p -> p.getMetadata().getName()).findFirst();
    }

    /** What the config's status says now, for a wait's message. */
    String status(String name) {
        GenericKubernetesResource d = configs().withName(name).get();
        return d == null ? "deploymentconfig " + name + " absent"
                : "deploymentconfig " + name + " status " + Objects.toString(d.getAdditionalProperties().get("status"));
    }

    /** Deletes the config; its ReplicationControllers and their pods go with it (their owner). */
    void delete(String name) {
        try {
            configs().withName(name).delete();
        } catch (KubernetesClientException e) {
            // the namespace goes with everything in it at the end anyway
        }
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0L;
    }
}

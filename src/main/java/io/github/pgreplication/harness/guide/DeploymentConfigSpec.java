package io.github.pgreplication.harness.guide;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a DeploymentConfig's spec says of how it runs its pods, as written: its replicas (1 when it gives none), its
 * strategy's type (empty when it gives none: OpenShift then takes Rolling) and its selector (a plain map of labels).
 */
public record DeploymentConfigSpec(int replicas, Optional<String> strategyType, Optional<Map<String, String>> selector) {

    /** OpenShift's strategy for a DeploymentConfig that names none. */
    public static final String DEFAULT_STRATEGY = "Rolling";

    /** The spec of {@code config}, a DeploymentConfig; empty when it is not one or has no spec. */
    public static Optional<DeploymentConfigSpec> of(GenericKubernetesResource config) {
        if (!"DeploymentConfig".equals(config.getKind()) || !(config.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec)) {
            return Optional.empty();
        }
        int replicas = spec.get("replicas") instanceof Number n ? n.intValue() : 1;
        Optional<String> type = Optional.ofNullable(spec.get("strategy")).filter(Map.class::isInstance)
                .map(s -> ((Map<?, ?>) s).get("type")).map(String::valueOf);
        Optional<Map<String, String>> selector = Optional.ofNullable(spec.get("selector")).filter(Map.class::isInstance)
                .map(s -> {
                    Map<String, String> out = new LinkedHashMap<>();
                    ((Map<?, ?>) s).forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
                    return out;
                });
        return Optional.of(new DeploymentConfigSpec(replicas, type, selector));
    }
}

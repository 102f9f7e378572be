package io.github.pgreplication.harness.guide;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Deployment as a cluster's controller runs it: its selector and pod labels, its replica count, its update
 * strategy as the manifest gives it (empty: the cluster's default, RollingUpdate), and its pod's init containers
 * and containers resolved as any other.
 */
public record DeploymentPlan(
        String name,
        Map<String, String> selector,
        int replicas,
        Optional<String> strategyType,
        List<ContainerPlan> initContainers,
        List<ContainerPlan> containers) {
}

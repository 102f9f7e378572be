package io.github.pgreplication.harness.backend;

import io.github.pgreplication.harness.guide.ContainerPlan;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How a backend names the pods it starts, as a Deployment names its pods: {@code <deployment>-<n>} for the
 * main container ({@code postgresql}), {@code <deployment>-<n>-<container>} for another (an init container, a
 * Job's), {@code n} counting per deployment and container from 1. A DNS-1123 label (lowercase, at most 63
 * characters), so that the same name is valid as a Kubernetes pod, a Docker container and a run directory.
 */
public final class PodNames {

    private final Map<String, Integer> instances = new HashMap<>();

    public synchronized String next(ContainerPlan plan) {
        int n = instances.merge(plan.podName() + "/" + plan.containerName(), 1, Integer::sum);
        return name(plan, n);
    }

    static String name(ContainerPlan plan, int n) {
        String name = (plan.podName() + "-" + n + (plan.containerName().equals("postgresql") ? "" : "-" + plan.containerName()))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        return name.length() > 63 ? name.substring(0, 63) : name;
    }
}

package io.github.pgreplication.harness.guide;

import java.util.Optional;

/**
 * A CronJob's Job as its {@code jobTemplate} makes it: the container (resolved as any other), the identity its pod
 * runs under, how the pod restarts and how often the Job retries, and the CronJob's own schedule and concurrency.
 */
public record JobPlan(
        String cronJobName,
        String schedule,
        Optional<String> concurrencyPolicy,
        ContainerPlan container,
        Optional<String> serviceAccountName,
        Optional<Boolean> automountServiceAccountToken,
        String restartPolicy,
        Optional<Integer> backoffLimit) {
}

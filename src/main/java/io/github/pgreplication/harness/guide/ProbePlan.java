package io.github.pgreplication.harness.guide;

import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An exec probe of a container as its manifest writes it, Kubernetes' defaults filled in where it is silent (period
 * 10 s, timeout 1 s, failure threshold 3, no initial delay).
 */
public record ProbePlan(List<String> command, int initialDelaySeconds, int periodSeconds, int timeoutSeconds,
                        int failureThreshold) {

    /** The manifest's probe, when it is an exec probe. */
    static Optional<ProbePlan> of(Probe p) {
        if (p == null || p.getExec() == null || p.getExec().getCommand() == null) {
            return Optional.empty();
        }
        return Optional.of(new ProbePlan(List.copyOf(p.getExec().getCommand()), or(p.getInitialDelaySeconds(), 0),
                or(p.getPeriodSeconds(), 10), or(p.getTimeoutSeconds(), 1), or(p.getFailureThreshold(), 3)));
    }

    private static int or(Integer value, int kubernetesDefault) {
        return value == null ? kubernetesDefault : value;
    }

    /**
     * The longest a kubelet takes to act on a server that stops answering this probe: the initial delay (counted
     * from the container's start), then {@code failureThreshold} probes, each up to its period and its timeout apart.
     */
    public Duration longestToAct() {
        return Duration.ofSeconds(initialDelaySeconds + (long) failureThreshold * (periodSeconds + timeoutSeconds));
    }

    /** How the report names it: {@code pg_isready -U postgres}, every 10 s after 30 s, timeout 5 s, 3 failures. */
    public String describe() {
        List<String> shown = command.size() == 3 && command.get(1).equals("-c") ? List.of(command.get(2)) : command;
        return "`" + String.join(" ", shown) + "`, every " + periodSeconds + " s after " + initialDelaySeconds
                + " s, timeout " + timeoutSeconds + " s, " + failureThreshold + " failures";
    }
}

package io.github.pgreplication.harness.backend.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.pgreplication.harness.run.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The namespace's pods as the API shows them (started, Ready, ended, a status line for a wait's last-seen text),
 * and the named waits on the cluster, on the run's {@link Waits}.
 */
final class PodStates {

    private final KubernetesClient client;
    private final String namespace;
    private final Waits waits;
    private final ClusterEvidence evidence;

    PodStates(KubernetesClient client, String namespace, Waits waits, ClusterEvidence evidence) {
        this.client = client;
        this.namespace = namespace;
        this.waits = waits;
        this.evidence = evidence;
    }

    Pod get(String name) {
        return client.pods().inNamespace(namespace).withName(name).get();
    }

    /** Whether the pod's container has started (it runs, or has already ended). */
    boolean started(String name) {
        Pod p = get(name);
        return p != null && p.getStatus() != null && p.getStatus().getContainerStatuses() != null
                && p.getStatus().getContainerStatuses().stream().anyMatch(s -> s.getState() != null
                        && (s.getState().getRunning() != null || s.getState().getTerminated() != null));
    }

    boolean ready(String name) {
        Pod p = get(name);
        if (p == null || p.getStatus() == null || p.getStatus().getConditions() == null) {
            return false;
        }
        return p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Whether the pod has ended: phase Succeeded or Failed. */
    boolean ended(String name) {
        Pod p = get(name);
        return p != null && p.getStatus() != null
                && ("Succeeded".equals(p.getStatus().getPhase()) || "Failed".equals(p.getStatus().getPhase()));
    }

    /** The exit code of the pod's first container that has ended; null while none has (or the pod is gone). */
    Integer exitCode(String name) {
        Pod p = get(name);
        return p == null || p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? null
                : p.getStatus().getContainerStatuses().stream()
                        .filter(s -> s.getState() != null && s.getState().getTerminated() != null)
                        .map(s -> s.getState().getTerminated().getExitCode()).findFirst().orElse(null);
    }

    /**
     * A server container that has exited and is being restarted (CrashLoopBackOff on its way): the exit code of its
     * last instance; null while it has not ended once.
     */
    Integer crashed(String name) {
        return lastExit(get(name));
    }

    /** The exit code of a pod's container that has ended, now or in its last instance; null when none has. */
    static Integer lastExit(Pod p) {
        return p == null || p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? null
                : p.getStatus().getContainerStatuses().stream()
                        .map(s -> s.getState() != null && s.getState().getTerminated() != null ? s.getState().getTerminated()
                                : s.getLastState() == null ? null : s.getLastState().getTerminated())
                        .filter(Objects::nonNull).map(ContainerStateTerminated::getExitCode).findFirst().orElse(null);
    }

    /**
     * The log of a pod's server that exited ({@link ClusterEvidence#endedLog}), of whichever instance ended last: the
     * kubelet restarts it with the same command, for ever. On timeout, why none could be read.
     */
    String endedLog(String name, String container) {
        AtomicReference<String> log = new AtomicReference<>();
        try {
            await("the log of pod " + name + "'s container " + container + " that exited", Duration.ofSeconds(20), () -> {
                Pod p = get(name);
                boolean currentEnded = p != null && p.getStatus() != null && Optional.ofNullable(p.getStatus()
                        .getContainerStatuses()).orElse(List.of()).stream().anyMatch(s -> s.getName().equals(container)
                                && s.getState() != null && s.getState().getTerminated() != null);
                return log.updateAndGet(l -> evidence.endedLog(name, container, currentEnded)) != null;
            }, () -> status(name));
            return log.get();
        } catch (ConditionTimeoutException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * The whole log of a pod whose container ended, read until two reads agree: when the kubelet reports the end, the
     * runtime may still be writing the last lines to the log (one read returned 2,500 of 5,000 lines). A log still
     * growing after 10 s is returned as last read.
     */
    String wholeLog(String name) {
        AtomicReference<String> last = new AtomicReference<>();
        try {
            await("the log of pod " + name + ", whose container ended, read whole (two reads agree)", Duration.ofSeconds(10),
                    () -> {
                        String now = evidence.podLog(name);
                        return now.equals(last.getAndSet(now));
                    }, () -> "last read " + Optional.ofNullable(last.get()).map(String::length).orElse(0) + " characters");
        } catch (ConditionTimeoutException e) {
            // still growing: the last read is what there is
        }
        return last.get();
    }

    /** A pod's phase, conditions and container states, and the namespace's last events, for a wait's last-seen line. */
    String status(String name) {
        try {
            Pod p = get(name);
            if (p == null) {
                return "pod " + name + " does not exist; " + evidence.events(8);
            }
            StringBuilder s = new StringBuilder("pod " + name + " phase " + p.getStatus().getPhase());
            for (PodCondition c : Optional.ofNullable(p.getStatus().getConditions()).orElse(List.of())) {
                s.append(", ").append(c.getType()).append('=').append(c.getStatus());
            }
            for (ContainerStatus cs : Optional.ofNullable(p.getStatus().getContainerStatuses()).orElse(List.of())) {
                s.append("; container ").append(cs.getName()).append(" restarts ").append(cs.getRestartCount()).append(' ')
                        .append(cs.getState());
            }
            return s.append("; ").append(evidence.events(8)).toString();
        } catch (KubernetesClientException e) {
            return "pod " + name + ": " + e.getMessage();
        }
    }

    /**
     * A named wait of the run's {@link Waits} (its one timeout scale), polling every 200 ms; an API error counts as
     * "not yet" and the last one is shown with what was last seen. Throws ConditionTimeoutException on timeout.
     */
    void await(String what, Duration within, Callable<Boolean> condition, Supplier<String> lastSeen) {
        await(what, within, condition, null, lastSeen);
    }

    /** The same, giving up at once when {@code hopeless} holds (a server container that exited, say). */
    void await(String what, Duration within, Callable<Boolean> condition, Callable<Boolean> hopeless, Supplier<String> lastSeen) {
        AtomicReference<Throwable> last = new AtomicReference<>();
        try {
            waits.until(what, within, Duration.ofMillis(200), () -> {
                try {
                    return condition.call();
                } catch (KubernetesClientException e) {
                    last.set(e);
                    return false;
                }
            }, hopeless, () -> lastSeen.get() + (last.get() == null ? "" : "; last error: " + last.get().getMessage()));
        } catch (AssertionError e) {
            throw new ConditionTimeoutException(e.getMessage());
        }
    }
}

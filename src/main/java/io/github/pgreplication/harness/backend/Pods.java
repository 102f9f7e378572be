package io.github.pgreplication.harness.backend;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The pods a backend has started and not yet deleted, and what follows from them for claims: a
 * PersistentVolumeClaim mounted by a running pod cannot be deleted (Kubernetes keeps it Terminating until the
 * pod is gone, the {@code kubernetes.io/pvc-protection} finalizer).
 */
public final class Pods<P extends AbstractPod> {

    private final List<P> pods = new CopyOnWriteArrayList<>();

    public void add(P pod) {
        pods.add(pod);
    }

    public void remove(P pod) {
        pods.remove(pod);
    }

    public void clear() {
        pods.clear();
    }

    /** Every pod started and not deleted, running or killed, in start order. */
    public List<P> all() {
        return List.copyOf(pods);
    }

    public List<P> running() {
        return pods.stream().filter(PostgresPod::isRunning).toList();
    }

    /** Throws, naming the pod, when a running pod still mounts the claim; returns when it may be deleted. */
    public void refuseDeletingMounted(String claimName) {
        refuseMounted(claimName, "Kubernetes would keep it Terminating until the pod is gone");
    }

    /** Throws, naming the pod, when a running pod still mounts the claim: its data is not at rest, a copy would be torn. */
    public void refuseCopyingMounted(String claimName) {
        refuseMounted(claimName, "its data is not at rest: a copy would be torn");
    }

    private void refuseMounted(String claimName, String why) {
        for (P pod : pods) {
            if (pod.isRunning() && pod.mounts(claimName)) {
                throw new IllegalStateException("PersistentVolumeClaim " + claimName + " is still mounted by running pod "
                        + pod.name() + " (" + why + ")");
            }
        }
    }
}

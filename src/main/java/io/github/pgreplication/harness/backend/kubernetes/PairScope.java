package io.github.pgreplication.harness.backend.kubernetes;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;
import java.util.Optional;

/**
 * Where one pair's objects live on the cluster, and how they are known as the pair's: the namespace, the pair's id
 * (its objects' run label) and, where the run's pairs share the one namespace a tenant was given
 * ({@code harness.kube.namespace}), the suffix every object name of the pair takes so that two pairs never meet.
 *
 * @param namespace  the pair's namespace: its own, or the tenant's
 * @param pairId     the pair's id, the value of its objects' run label
 * @param nameSuffix the suffix of the pair's object names in a shared namespace; empty in a namespace of its own
 */
record PairScope(String namespace, String pairId, Optional<String> nameSuffix) {

    /** The labels of every object the harness makes for the pair: a later run sweeps by them, and only by them. */
    Map<String, String> labels() {
        return Namespaces.labels(pairId);
    }

    /**
     * Whether an object of the namespace is the pair's: in a namespace of its own, every one; in a shared one, what
     * carries the pair's run label (what the harness made) or has its suffix in its name (what the guide's own
     * {@code oc} commands made from the pair's renamed manifests, the pods its controllers made).
     */
    boolean owns(ObjectMeta m) {
        if (nameSuffix.isEmpty()) {
            return true;
        }
        return m.getLabels() != null && pairId.equals(m.getLabels().get(Namespaces.RUN)) || m.getName() != null
                && m.getName().contains(nameSuffix.get());
    }

    boolean shared() {
        return nameSuffix.isPresent();
    }
}

package io.github.pgreplication.harness.backend;

import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.MountSource;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What every backend's pod is, whatever plays it: its name (from {@link PodNames}), its container plan, and the
 * labels Services select it by (its template's). The backends add only how their server runs and is reached.
 */
public abstract class AbstractPod implements PostgresPod {

    private final String name;
    private final ContainerPlan plan;
    private final Instant created = Instant.now();
    private final Map<String, ContainerResult> initContainers = Collections.synchronizedMap(new LinkedHashMap<>());

    protected AbstractPod(String name, ContainerPlan plan) {
        this.name = name;
        this.plan = plan;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final ContainerPlan plan() {
        return plan;
    }

    /** When the backend made the pod: its age, as {@code oc get pods} shows it. */
    public final Instant created() {
        return created;
    }

    @Override
    public final Map<String, String> labels() {
        return plan.podLabels();
    }

    /** Does this pod mount the PersistentVolumeClaim? */
    public final boolean mounts(String claimName) {
        return plan.mounts().stream().anyMatch(m -> m.source() instanceof MountSource.Claim c && c.claimName().equals(claimName));
    }

    @Override
    public final void ranAfter(String initContainer, ContainerResult result) {
        initContainers.put(initContainer, result);
    }

    @Override
    public final Optional<String> initContainerLog(String initContainer) {
        return Optional.ofNullable(initContainers.get(initContainer)).map(ContainerResult::output);
    }

    /** The init containers this pod ran after, in their order, each with how it ended ({@code oc describe pod}). */
    public final Map<String, ContainerResult> initContainers() {
        synchronized (initContainers) {
            return new LinkedHashMap<>(initContainers);
        }
    }
}

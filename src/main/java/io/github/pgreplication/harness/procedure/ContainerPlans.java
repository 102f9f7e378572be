package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.MountPlan;
import io.github.pgreplication.harness.guide.MountSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A container plan with one thing changed, as a scenario deploys it: a variable of its env, a file of a ConfigMap. */
final class ContainerPlans {

    private ContainerPlans() {
    }

    /** The plan with one variable of its env set (added, or replacing the plan's value). */
    static ContainerPlan withEnv(ContainerPlan p, String name, String value) {
        Map<String, String> env = new LinkedHashMap<>(p.env());
        env.put(name, value);
        return new ContainerPlan(p.podName(), p.containerName(), p.image(), p.command(), p.args(), env, p.mounts(),
                p.readinessCommand(), p.liveness(), p.podLabels(), p.source(), p.resources(), p.ownerKind());
    }

    /** The plan whose ConfigMap mount shows another content for one file (a corrected script, say). */
    static ContainerPlan withFile(ContainerPlan p, String key, String content) {
        List<MountPlan> mounts = new ArrayList<>();
        boolean found = false;
        for (MountPlan m : p.mounts()) {
            if (m.source() instanceof MountSource.ConfigMapFiles cm && cm.files().containsKey(key)) {
                Map<String, String> files = new LinkedHashMap<>(cm.files());
                files.put(key, content);
                mounts.add(new MountPlan(m.mountPath(), m.volumeName(),
                        new MountSource.ConfigMapFiles(cm.configMap(), files, cm.mode(), cm.singleFile())));
                found = true;
            } else {
                mounts.add(m);
            }
        }
        if (!found) {
            throw new AssertionError(p.source() + ": no ConfigMap mount of " + p.containerName() + " shows " + key);
        }
        return new ContainerPlan(p.podName(), p.containerName(), p.image(), p.command(), p.args(), p.env(), mounts,
                p.readinessCommand(), p.liveness(), p.podLabels(), p.source(), p.resources(), p.ownerKind());
    }
}

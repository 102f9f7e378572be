package io.github.pgreplication.harness.guide;

import java.util.Map;

/** What a volume mount shows inside a container. */
public sealed interface MountSource {

    /** Files from a ConfigMap: one key with a subPath, or every key as a directory. */
    record ConfigMapFiles(String configMap, Map<String, String> files, int mode, boolean singleFile)
            implements MountSource {
    }

    /** A PersistentVolumeClaim: the data outlives the pod. */
    record Claim(String claimName) implements MountSource {
    }

    /** An emptyDir: lives and dies with the pod. */
    record EmptyDir(String volume) implements MountSource {
    }
}

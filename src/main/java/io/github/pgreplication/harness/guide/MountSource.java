package io.github.pgreplication.harness.guide;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** What a volume mount shows inside a container. */
public sealed interface MountSource {

    /** Files from a ConfigMap: one key with a subPath, or every key as a directory. */
    record ConfigMapFiles(String configMap, Map<String, String> files, int mode, boolean singleFile)
            implements MountSource {

        /** The files' mode (the volume's defaultMode) as permissions: 0644 gives rw-r--r--. */
        public Set<PosixFilePermission> permissions() {
            Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
            PosixFilePermission[] fromLowestBit = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                    PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_READ};
            for (int i = 0; i < fromLowestBit.length; i++) {
                if ((mode & (1 << i)) != 0) {
                    set.add(fromLowestBit[i]);
                }
            }
            return set;
        }
    }

    /** A PersistentVolumeClaim: the data outlives the pod. */
    record Claim(String claimName) implements MountSource {
    }

    /** An emptyDir: lives and dies with the pod. */
    record EmptyDir(String volume) implements MountSource {
    }
}

package io.github.pgreplication.harness.guide;

import java.util.Arrays;

/**
 * What a claim is where a run's pods run, as far as the guide's errata are concerned. On OpenShift a claim is a
 * provisioned volume: a filesystem of its own, new, whose root belongs to root (an fsGroup may make it group-writable)
 * and holds {@code lost+found} on ext4. A host directory (the local backend, a Docker volume, a hostPath provisioner) is
 * an empty directory the pod may own, unless the backend makes its root as a provisioned disk's (the containers backend
 * under {@code harness.containers.security=openshift}: root's, {@code lost+found}); it is still no filesystem of its
 * own. Some errata hold only on the first: an erratum names it in {@code needs}.
 */
public enum VolumeKind {

    /** A filesystem of its own, mounted at the claim's mount point (OpenShift's provisioned volumes, the offline disks). */
    PROVISIONED("provisioned-volume", "provisioned volumes"),

    /**
     * A directory of another filesystem (the host's), bind-mounted or mapped: empty, and nothing at its root, unless a
     * backend made it as a provisioned disk's root.
     */
    HOST_DIRECTORY("host-directory", "host directories");

    private final String id;
    private final String plural;

    VolumeKind(String id, String plural) {
        this.id = id;
        this.plural = plural;
    }

    /** How a sentence names claims of this kind ({@code provisioned volumes}). */
    public String plural() {
        return plural;
    }

    public String id() {
        return id;
    }

    public static VolumeKind parse(String id) {
        return Arrays.stream(values()).filter(v -> v.id.equals(id)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "unknown volume kind '" + id + "': expected " + String.join(" or ",
                        Arrays.stream(values()).map(VolumeKind::id).toList())));
    }
}

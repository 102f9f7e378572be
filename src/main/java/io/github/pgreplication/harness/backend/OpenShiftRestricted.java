package io.github.pgreplication.harness.backend;

/**
 * What OpenShift's default SCC, {@code restricted-v2}, gives a pod that sets nothing, in a project whose range starts
 * at 1000680000 ({@code openshift.io/sa.scc.uid-range: 1000680000/10000}): the range's first UID, GID 0, the range's
 * first value as fsGroup (a supplementary group, and the group of its claims), every capability dropped, no privilege
 * escalation. The offline cluster's policy uses the same range ({@code PSP_UID_MIN} in {@code k8s/offline/env.sh}),
 * where a pod was measured running as {@link #ID}, its claim's root {@code 0:1000680000 drwxrwsr-x} holding
 * {@code lost+found} ({@code 0:1000680000 drwxrws---}: mkfs makes it root's, 0700; the kubelet's fsGroup adds the group).
 */
public final class OpenShiftRestricted {

    /** The project's range's first UID: what a pod setting no {@code runAsUser} runs as. */
    public static final int UID = 1000680000;
    /** restricted-v2 has no runAsGroup strategy: the primary group is root's. */
    public static final int GID = 0;
    /** The fsGroup restricted-v2 defaults to: the range's first value, a supplementary group and the claims' group. */
    public static final int FS_GROUP = 1000680000;
    /** A provisioned claim's root once the kubelet applied the fsGroup: {@code drwxrwsr-x}, owned {@code 0:FS_GROUP}. */
    public static final int CLAIM_ROOT_MODE = 02775;
    /** The directory every new ext4 filesystem holds at its root. */
    public static final String LOST_AND_FOUND = "lost+found";
    /** lost+found as mkfs makes it (root's, 0700), with the fsGroup the kubelet applies: {@code drwxrws---}. */
    public static final int LOST_AND_FOUND_MODE = 02770;
    /** What {@code id} prints in such a pod (the UID has no passwd entry, hence no name). */
    public static final String ID = "uid=" + UID + " gid=" + GID + "(root) groups=" + GID + "(root)," + FS_GROUP;
    /** One line for reports. */
    public static final String DESCRIPTION = "OpenShift's restricted-v2 SCC as a pod setting nothing gets it: " + ID
            + " (fsGroup " + FS_GROUP + "), every capability dropped, no privilege escalation";

    private OpenShiftRestricted() {
    }
}

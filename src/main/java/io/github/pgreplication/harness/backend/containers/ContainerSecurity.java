package io.github.pgreplication.harness.backend.containers;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Driver;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.api.model.VolumeOptions;
import io.github.pgreplication.harness.backend.OpenShiftRestricted;
import io.github.pgreplication.harness.settings.HarnessSettings.ContainersSecurity;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Docker is told about every container of a pair (servers, init containers, Jobs' pods, the data templates'
 * initialisations), from {@code harness.containers.security}. Under {@code openshift}, what OpenShift's restricted-v2
 * SCC does to a pod that sets nothing, as far as Docker can say it: {@code --user 1000680000:0}, {@code --group-add
 * 1000680000} (the fsGroup), {@code --cap-drop ALL}, {@code --security-opt no-new-privileges}; claims mounted without
 * Docker's copy of the image's directory into an empty volume (a kubelet never copies one), their root made as a
 * provisioned disk's ({@link ClaimRoots}). Under {@code image}: each image's own user and Docker's defaults.
 * {@code docker exec} takes the container's user and groups, as {@code oc exec} takes the pod's.
 */
record ContainerSecurity(ContainersSecurity profile) {

    /** A kubelet's emptyDir for a pod with an fsGroup: world-writable, the fsGroup's, setgid ({@code drwxrwsrwx}). */
    static final int EMPTY_DIR_MODE = 02777;

    static ContainerSecurity of(ContainersSecurity profile) {
        return new ContainerSecurity(profile);
    }

    private boolean openshift() {
        return profile == ContainersSecurity.OPENSHIFT;
    }

    /** The container's {@code --user}; empty: the image's. */
    Optional<String> user() {
        return openshift() ? Optional.of(OpenShiftRestricted.UID + ":" + OpenShiftRestricted.GID) : Optional.empty();
    }

    /** Whether each claim's root is made as a provisioned disk's ({@link ClaimRoots}), not left an empty directory. */
    boolean provisionedClaims() {
        return openshift();
    }

    /** The {@code docker run} flags this profile amounts to, in order: what the report and the README name. */
    List<String> dockerRunFlags() {
        return openshift() ? List.of("--user", OpenShiftRestricted.UID + ":" + OpenShiftRestricted.GID,
                "--group-add", Integer.toString(OpenShiftRestricted.FS_GROUP), "--cap-drop", "ALL",
                "--security-opt", "no-new-privileges") : List.of();
    }

    /** Sets the user and the host configuration's groups, capabilities and security options on a container to create. */
    void applyTo(CreateContainerCmd cmd) {
        user().ifPresent(cmd::withUser);
        applyTo(cmd.getHostConfig());
    }

    /** The host configuration's part: supplementary groups, capabilities dropped, no new privileges. */
    HostConfig applyTo(HostConfig host) {
        if (openshift()) {
            host.withGroupAdd(List.of(Integer.toString(OpenShiftRestricted.FS_GROUP)))
                    .withCapDrop(Capability.ALL)
                    .withSecurityOpts(List.of("no-new-privileges"));
        }
        return host;
    }

    /**
     * A claim's volume mounted at {@code mountPath}. Under {@code openshift} with Docker's {@code nocopy}: a provisioned
     * disk never receives the image's files at its mount point (its root holds lost+found, so Docker would not copy
     * either; nocopy says it). Under {@code image}, as before: an empty volume takes the image's directory, owner included.
     */
    Bind claim(String volumeName, String mountPath) {
        return openshift() ? new Bind(volumeName, new Volume(mountPath), Boolean.TRUE) : new Bind(volumeName, new Volume(mountPath));
    }

    /** The host adaptation: what this profile sets itself, and what still differs from a cluster. */
    String adaptation() {
        if (!openshift()) {
            return "Pod security: none (harness.containers.security=image): each container runs as its image's user with "
                    + "Docker's default capabilities, and each claim is an empty directory that takes the image's directory "
                    + "(owner included) when first mounted; OpenShift would run the pods under restricted-v2.";
        }
        return "Pod security as OpenShift's restricted-v2 SCC gives a pod that sets nothing (harness.containers.security="
                + "openshift): every container of the pair (servers, init containers, Jobs' pods) runs with `"
                + String.join(" ", dockerRunFlags()) + "`, so `id` says `" + OpenShiftRestricted.ID + "`, no capability, "
                + "NoNewPrivs, Docker's default seccomp profile; `docker exec` (oc exec) takes the same user and groups. "
                + "Each claim's root is made as a provisioned disk's once the kubelet applied the fsGroup: owned `0:"
                + OpenShiftRestricted.FS_GROUP + "`, mode " + Integer.toOctalString(OpenShiftRestricted.CLAIM_ROOT_MODE)
                + ", holding `" + OpenShiftRestricted.LOST_AND_FOUND + "` (`0:" + OpenShiftRestricted.FS_GROUP + "` "
                + Integer.toOctalString(OpenShiftRestricted.LOST_AND_FOUND_MODE) + "), mounted without Docker's copy of the "
                + "image's directory. What still differs from a cluster: no admission (SCC or PodSecurityPolicy) chose or "
                + "checked this, the backend sets it itself, and a pod asking for another user in its securityContext is not "
                + "refused (the harness gives every container the same); a claim is a directory of the host's filesystem, not "
                + "a disk of its own (no size, and its mount is no filesystem's root: « 2.1 » calls it a host directory); "
                + "the fsGroup is not applied again at each mount (files keep the group they were made with, from the root's "
                + "setgid); no SELinux label; the UID has no /etc/passwd entry, as under containerd.";
    }

    /** What Docker applied to a container, from its {@code docker inspect}: the report's proof of the profile. */
    static String applied(String pod, InspectContainerResponse inspect) {
        String user = inspect.getConfig() == null || inspect.getConfig().getUser() == null
                || inspect.getConfig().getUser().isEmpty() ? "the image's" : inspect.getConfig().getUser();
        HostConfig host = inspect.getHostConfig();
        List<String> groups = host == null || host.getGroupAdd() == null ? List.of() : host.getGroupAdd();
        List<String> drop = host == null || host.getCapDrop() == null ? List.of()
                : Arrays.stream(host.getCapDrop()).map(Capability::name).toList();
        List<String> options = host == null || host.getSecurityOpts() == null ? List.of() : host.getSecurityOpts();
        return "Docker applied to " + pod + ": user " + user + ", groups added " + (groups.isEmpty() ? "none" : groups)
                + ", capabilities dropped " + (drop.isEmpty() ? "none" : drop) + ", security options "
                + (options.isEmpty() ? "none" : options);
    }

    /**
     * An emptyDir under {@code openshift}: an anonymous volume of the local driver on a tmpfs of its own, as a kubelet
     * makes one for a pod with an fsGroup ({@code drwxrwsrwx}, {@code root:1000680000}), removed with its container.
     * Not Docker's {@code --tmpfs}, which takes the mode of the image's directory at that path ({@code drwx------} at the
     * official image's PGDATA) where a kubelet's emptyDir hides it. Empty under {@code image}: a tmpfs, as before.
     */
    Optional<Mount> emptyDir(String mountPath, Map<String, String> labels) {
        if (!openshift()) {
            return Optional.empty();
        }
        return Optional.of(new Mount().withType(MountType.VOLUME).withTarget(mountPath).withVolumeOptions(new VolumeOptions()
                .withNoCopy(true).withLabels(labels).withDriverConfig(new Driver().withName("local").withOptions(Map.of(
                        "type", "tmpfs", "device", "tmpfs", "o", "mode=" + Integer.toOctalString(EMPTY_DIR_MODE) + ",uid=0,gid="
                                + OpenShiftRestricted.FS_GROUP)))));
    }

    /** What the report says of the containers' security and claims. */
    String description() {
        if (!openshift()) {
            return "containers as their images' users, with Docker's default capabilities (harness.containers.security=image); "
                    + "each claim an empty directory";
        }
        return "containers as " + OpenShiftRestricted.DESCRIPTION + " (harness.containers.security=openshift: "
                + String.join(" ", dockerRunFlags()) + ", Docker's default seccomp profile); each claim's root owned 0:"
                + OpenShiftRestricted.FS_GROUP + " " + Integer.toOctalString(OpenShiftRestricted.CLAIM_ROOT_MODE) + " holding "
                + OpenShiftRestricted.LOST_AND_FOUND + " (0:" + OpenShiftRestricted.FS_GROUP + " "
                + Integer.toOctalString(OpenShiftRestricted.LOST_AND_FOUND_MODE) + "), as a provisioned disk once the kubelet "
                + "applied the fsGroup";
    }
}

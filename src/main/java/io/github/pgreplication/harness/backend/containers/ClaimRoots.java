package io.github.pgreplication.harness.backend.containers;

import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import io.github.pgreplication.harness.backend.OpenShiftRestricted;
import io.github.pgreplication.harness.run.OsUser;
import io.github.pgreplication.harness.run.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * Each new claim's root, made as a provisioned disk's where {@link ContainerSecurity#provisionedClaims()}: owned
 * {@code 0:1000680000}, mode 2775, holding {@code lost+found} ({@code 0:1000680000}, 2770), as the offline cluster's
 * ext4 disks were measured once the kubelet applied the pod's fsGroup (see {@link OpenShiftRestricted}). What the pod
 * writes there is group-writable for the fsGroup because the root is: new files and directories take its group (setgid).
 *
 * <p>Where the claim's data is a directory of the host and the JVM may change owners (root), it is made there at once.
 * Otherwise (Docker's own volume directory, or a JVM that is not root) it is made by a short container of the pod's
 * image, as root, on no network, the first time a pod mounts the claim: the provisioner's part, not the pod's.
 */
final class ClaimRoots {

    private static final String MOUNT = "/claim";
    private static final Duration LAY_OUT = Duration.ofSeconds(60);

    private final ContainerSecurity security;
    private final Map<String, String> labels;
    /** The volumes whose root is still to be made, by a container, before a pod mounts them. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    ClaimRoots(ContainerSecurity security, Map<String, String> labels) {
        this.security = security;
        this.labels = labels;
    }

    /** A claim's volume was just created, its data in {@code hostDirectory} when that is on the host. */
    void created(String volumeName, Optional<Path> hostDirectory) {
        if (!security.provisionedClaims()) {
            return;
        }
        if (hostDirectory.isPresent() && "root".equals(OsUser.current().name())) {
            layOut(hostDirectory.get());
        } else {
            pending.add(volumeName);
        }
    }

    /** The volume was removed: nothing is left to make for it. */
    void removed(String volumeName) {
        pending.remove(volumeName);
    }

    /** Whether the root of this volume is still to be made (by {@link #ensure}). */
    boolean isPending(String volumeName) {
        return pending.contains(volumeName);
    }

    /** Makes a provisioned disk's root in a directory of the host (the JVM is root). */
    static void layOut(Path dir) {
        try {
            Files.createDirectories(dir);
            own(dir, OpenShiftRestricted.CLAIM_ROOT_MODE);
            Path lostAndFound = dir.resolve(OpenShiftRestricted.LOST_AND_FOUND);
            Files.createDirectories(lostAndFound);
            own(lostAndFound, OpenShiftRestricted.LOST_AND_FOUND_MODE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the claim's root " + dir + " as a provisioned disk's", e);
        }
    }

    private static void own(Path path, int mode) throws IOException {
        Files.setAttribute(path, "unix:uid", 0);
        Files.setAttribute(path, "unix:gid", OpenShiftRestricted.FS_GROUP);
        Files.setAttribute(path, "unix:mode", mode); // after chown, which may clear the setgid bit
    }

    /** The shell lines that make it at {@code root} inside a container, as root. */
    static String script(String root) {
        String group = "0:" + OpenShiftRestricted.FS_GROUP;
        String lostAndFound = root + "/" + OpenShiftRestricted.LOST_AND_FOUND;
        return "set -e; chown " + group + " " + root + "; chmod " + Integer.toOctalString(OpenShiftRestricted.CLAIM_ROOT_MODE)
                + " " + root + "; mkdir -p " + lostAndFound + "; chown " + group + " " + lostAndFound + "; chmod "
                + Integer.toOctalString(OpenShiftRestricted.LOST_AND_FOUND_MODE) + " " + lostAndFound;
    }

    /** Makes the volume's root now if it is still to be made, with a container of {@code image} that mounts it. */
    void ensure(String volumeName, String image) {
        if (!pending.contains(volumeName)) {
            return;
        }
        synchronized (this) {
            if (!pending.contains(volumeName)) {
                return;
            }
            try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))) {
                c.withLabels(labels).withNetworkMode("none")
                        .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(LAY_OUT))
                        .withCreateContainerCmdModifier(cmd -> {
                            cmd.withUser("0:0").withEntrypoint(List.of("sh", "-c", script(MOUNT)).toArray(String[]::new));
                            cmd.getHostConfig().withBinds(new Bind(volumeName, new Volume(MOUNT), Boolean.TRUE));
                        });
                try {
                    c.start();
                } catch (RuntimeException e) {
                    throw new IllegalStateException("making the root of volume " + volumeName + " as a provisioned disk's "
                            + "failed: " + Secrets.redact(String.valueOf(e.getMessage())), e);
                }
            }
            pending.remove(volumeName);
        }
    }
}

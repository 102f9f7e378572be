package io.github.pgreplication.harness.backend.containers;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import io.github.pgreplication.harness.backend.HbaCidrs;
import io.github.pgreplication.harness.backend.OpenShiftRestricted;
import io.github.pgreplication.harness.backend.Probes;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.MountPlan;
import io.github.pgreplication.harness.guide.MountSource;
import io.github.pgreplication.harness.run.OsUser;
import io.github.pgreplication.harness.run.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * What a pod's container is made of, from its plan: the image that plays the manifests' one, the env, args and
 * entrypoint as written, the claims as the run's named volumes, the ConfigMaps' files (the pod network's CIDR in a
 * pg_hba.conf adapted to the run's Docker network), the emptyDirs as tmpfs, the run's labels and a name of the run,
 * the user, groups and capabilities of {@code harness.containers.security} ({@link ContainerSecurity}); each host
 * adaptation recorded as it is made.
 */
final class ContainerSpecs {

    private final Images images;
    private final Network network;
    private final String subnet;
    private final Map<String, String> labels;
    private final String runId;
    /** Where the claims' data lives when it is on the host (harness.volumes); null: Docker's volume directory. */
    private final RunDirectory hostVolumes;
    private final Consumer<String> adapt;
    /** The user, groups, capabilities and claim mounts of every container (harness.containers.security). */
    private final ContainerSecurity security;
    /** The claims whose root is still to be made before a pod mounts them. */
    private final ClaimRoots claimRoots;
    private volatile Images.Resolved lastImage;

    ContainerSpecs(Images images, Network network, String subnet, Map<String, String> labels, String runId,
                   RunDirectory hostVolumes, ContainerSecurity security, ClaimRoots claimRoots, Consumer<String> adapt) {
        this.images = images;
        this.network = network;
        this.subnet = subnet;
        this.labels = labels;
        this.runId = runId;
        this.hostVolumes = hostVolumes;
        this.security = security;
        this.claimRoots = claimRoots;
        this.adapt = adapt;
    }

    /** The image of the last container made; null before the first. */
    Images.Resolved lastImage() {
        return lastImage;
    }

    /** The Docker volume that plays a claim. */
    String volumeName(String claim) {
        return runId + "-" + claim;
    }

    GenericContainer<?> container(ContainerPlan plan, String name) {
        Images.Resolved image = images.resolve(plan, adapt);
        lastImage = image;
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image.image()))
                .withNetwork(network)
                .withEnv(plan.env())
                .withLabels(labels);
        if (!plan.args().isEmpty()) {
            c.withCommand(plan.args().toArray(String[]::new));
        }
        List<Bind> binds = new ArrayList<>();
        Map<String, String> tmpfs = new LinkedHashMap<>();
        List<Mount> mounts = new ArrayList<>();
        for (MountPlan m : plan.mounts()) {
            if (m.source() instanceof MountSource.Claim claim) {
                claimRoots.ensure(volumeName(claim.claimName()), image.image());
                binds.add(security.claim(volumeName(claim.claimName()), m.mountPath()));
            } else if (m.source() instanceof MountSource.EmptyDir) {
                Optional<Mount> volume = security.emptyDir(m.mountPath(), labels);
                if (volume.isPresent()) {
                    mounts.add(volume.get());
                    adapt.accept("emptyDir at `" + m.mountPath() + "` → an anonymous Docker volume on a tmpfs of its own, "
                            + "mode 2777, group " + OpenShiftRestricted.FS_GROUP + ", as a kubelet makes an emptyDir for a pod "
                            + "with that fsGroup; removed with its container.");
                } else {
                    tmpfs.put(m.mountPath(), "rw,mode=1777");
                    adapt.accept("emptyDir at `" + m.mountPath() + "` → a tmpfs, as writable by every user as an emptyDir.");
                }
            } else if (m.source() instanceof MountSource.ConfigMapFiles cm) {
                configMapFiles(c, binds, name, m, cm);
            }
        }
        String containerName = runId + "-" + name;
        // An emptyDir is a tmpfs here, and so are the claims' volumes when harness.volumes is (by default, /dev/shm):
        // their pages would count against a memory limit, where a kubelet's emptyDir and a claim are on disks.
        boolean memoryVolumes = plan.mounts().stream().anyMatch(m -> m.source() instanceof MountSource.EmptyDir
                || m.source() instanceof MountSource.Claim && hostVolumes != null && hostVolumes.onTmpfs());
        c.withCreateContainerCmdModifier(cmd -> {
            cmd.withName(containerName);
            if (!plan.command().isEmpty()) {
                cmd.withEntrypoint(plan.command().toArray(String[]::new));
            }
            cmd.getHostConfig().withBinds(binds).withTmpFs(tmpfs);
            if (!mounts.isEmpty()) {
                cmd.getHostConfig().withMounts(mounts);
            }
            security.applyTo(cmd);
            if (!memoryVolumes) {
                plan.resources().memoryLimitBytes().ifPresent(bytes -> cmd.getHostConfig().withMemory(bytes).withMemorySwap(bytes));
            }
            plan.resources().cpuLimitNanos().ifPresent(nanos -> cmd.getHostConfig().withNanoCPUs(nanos));
        });
        if (!plan.resources().isEmpty()) {
            adapt.accept("A container's resources (" + plan.containerName() + " of " + plan.source() + ": "
                    + plan.resources() + ") → its limits as Docker's --memory (swap included, as a kubelet gives none) "
                    + "and --cpus; its requests ask a scheduler for room, and there is none here: not applied."
                    + (memoryVolumes && plan.resources().memoryLimitBytes().isPresent() ? " Its memory limit is not "
                    + "applied either: its volumes (an emptyDir, or claims under a harness.volumes on a tmpfs) are memory "
                    + "here, which the limit would count (with it, the template master writing 1200 MB of WAL was killed at "
                    + "512Mi), where a kubelet's emptyDir and a claim are on disks." : ""));
        }
        return c;
    }

    /**
     * A ConfigMap volume. With the claims on the host (harness.volumes), its files are written to the run's directory
     * and bind-mounted read-only, as a kubelet mounts a ConfigMap: a bind costs the engine nothing, where each file
     * copied into a container costs it about 0.1 s of CPU (a re-executed dockerd extracting an archive). Otherwise
     * (an engine on another machine) they are copied in.
     */
    private void configMapFiles(GenericContainer<?> c, List<Bind> binds, String pod, MountPlan m, MountSource.ConfigMapFiles cm) {
        Path dir = hostVolumes == null ? null
                : hostVolumes.dir(OsUser.current(), "configmaps", pod, m.mountPath().substring(1).replace('/', '_'));
        for (Map.Entry<String, String> f : cm.files().entrySet()) {
            String path = cm.singleFile() ? m.mountPath() : m.mountPath() + "/" + f.getKey();
            String content = HbaCidrs.isHbaFile(f.getKey()) ? networkCidr(cm.configMap(), f.getKey(), f.getValue()) : f.getValue();
            if (dir == null) {
                c.withCopyToContainer(Transferable.of(content.getBytes(StandardCharsets.UTF_8), cm.mode()), path);
                continue;
            }
            Path file = dir.resolve(f.getKey());
            try {
                Files.writeString(file, content);
                Files.setPosixFilePermissions(file, cm.permissions());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write ConfigMap " + cm.configMap() + " for pod " + pod, e);
            }
            if (cm.singleFile()) {
                binds.add(new Bind(file.toString(), new Volume(path), AccessMode.ro));
            }
        }
        if (dir != null && !cm.singleFile()) {
            binds.add(new Bind(dir.toString(), new Volume(m.mountPath()), AccessMode.ro));
        }
        if (dir != null) {
            adapt.accept("ConfigMap `" + cm.configMap() + "` → its files in a directory of the run, bind-mounted read-only at `"
                    + m.mountPath() + "` (a kubelet mounts a ConfigMap read-only too).");
        }
    }

    /** Publishes the server's port on a free port of 127.0.0.1 only (Docker's default is every interface). */
    static void publishOnLoopback(GenericContainer<?> c) {
        c.withCreateContainerCmdModifier((CreateContainerCmd cmd) -> cmd.getHostConfig().withPortBindings(
                new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(Probes.POSTGRES_PORT))));
    }

    private String networkCidr(String configMap, String key, String text) {
        return HbaCidrs.replace(text, subnet, (from, to) -> adapt.accept("ConfigMap `" + configMap + "`, key `" + key
                + "`: pod network CIDR `" + from + "` → the subnet of the run's Docker network."));
    }
}

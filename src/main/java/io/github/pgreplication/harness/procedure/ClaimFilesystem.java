package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.Backend;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.backend.PostgresPod;
import io.github.pgreplication.harness.guide.MountPlan;
import io.github.pgreplication.harness.guide.MountSource;
import io.github.pgreplication.harness.guide.VolumeKind;
import io.github.pgreplication.harness.run.Evidence;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a pod's claim is, read from inside the pod: the mount at the claim's path in {@code /proc/self/mountinfo} (a
 * filesystem of its own when the mount's root is {@code /}: a provisioned volume; a directory of another filesystem
 * otherwise, or no mount at all where a backend maps the path), what its root holds, and the user the pod runs as.
 *
 * @param mountPath where the pod mounts the claim
 * @param kind      a provisioned volume, or a host directory
 * @param fsType    the mount's filesystem type ({@code ext4}), or {@code none} where the path is no mount point
 * @param root      the names at the mount point's root ({@code lost+found} on a new ext4 filesystem)
 * @param owner     the mount point's owner, group and mode ({@code 0:1000680000 2775})
 * @param runsAs    what {@code id} says in the pod's container
 */
public record ClaimFilesystem(String mountPath, VolumeKind kind, String fsType, List<String> root, String owner,
                              String runsAs) {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Reads it in {@code pod}'s container, for the first claim the container mounts. */
    static ClaimFilesystem of(Backend backend, PostgresPod pod) {
        String path = pod.plan().mounts().stream().filter(m -> m.source() instanceof MountSource.Claim)
                .map(MountPlan::mountPath).findFirst()
                .orElseThrow(() -> new AssertionError(pod.name() + " mounts no claim"));
        // mountinfo: 4th field the mount's root in its filesystem, 5th the mount point, the type after the " - ".
        String script = "m=$(awk -v p=\"$1\" '$5 == p { for (i = 7; $i != \"-\"; i++) ; print $4, $(i + 1) }' "
                + "/proc/self/mountinfo | tail -1); echo \"mount=${m:-none none}\"; echo \"owner=$(stat -c '%u:%g %a' \"$1\")\"; "
                + "echo \"root=$(ls -A \"$1\" | tr '\\n' ' ')\"; echo \"id=$(id)\"";
        ContainerResult r = backend.exec(pod, List.of("sh", "-c", script, "sh", path), Map.of(), TIMEOUT);
        if (!r.succeeded()) {
            throw new AssertionError("reading the claim at " + path + " in " + pod.name() + " failed (exit " + r.exitCode()
                    + "):\n" + r.tail(10));
        }
        String[] mount = field(r, "mount").split(" ");
        VolumeKind kind = mount[0].equals("/") ? VolumeKind.PROVISIONED : VolumeKind.HOST_DIRECTORY;
        List<String> root = Arrays.stream(field(r, "root").trim().split("\\s+")).filter(s -> !s.isBlank()).toList();
        return new ClaimFilesystem(path, kind, mount.length > 1 ? mount[1] : "none", root, field(r, "owner"), field(r, "id"));
    }

    private static String field(ContainerResult r, String name) {
        return r.output().lines().filter(l -> l.startsWith(name + "=")).map(l -> l.substring(name.length() + 1))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no " + name + "= line in:\n" + r.tail(10)));
    }

    /** The report's note: what the claims are and whom the pods run as. */
    public Evidence.Note note() {
        String what = kind == VolumeKind.PROVISIONED
                ? "a provisioned volume: a filesystem of its own (" + fsType + "), mounted at " + mountPath
                : "a host directory, not a filesystem of its own (" + (fsType.equals("none") ? "no mount point" : fsType)
                        + " at " + mountPath + ")";
        return new Evidence.Note("2.1", "Each claim of this run is " + what + "; the master's, its root owned " + owner + ", holds "
                + (root.isEmpty() ? "nothing" : String.join(", ", root)) + ". The master's container runs as "
                + runsAs + ".");
    }
}

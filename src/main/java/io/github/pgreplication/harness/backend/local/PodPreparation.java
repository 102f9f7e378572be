package io.github.pgreplication.harness.backend.local;

import io.github.pgreplication.harness.backend.HbaCidrs;
import io.github.pgreplication.harness.backend.PodNames;
import io.github.pgreplication.harness.backend.ServiceRoutes;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.ImageContract;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What a local pod is made of, from its plan: its directories in the run directory, the host directories that play
 * its container paths, its mounted files written (container paths and the pod network's CIDR adapted to the host),
 * its env; each host adaptation recorded as it is made. It keeps every pod it prepared, servers and containers run to
 * completion alike, for the failure evidence.
 */
final class PodPreparation {

    private final RunDirectory run;
    private final OsUser user;
    private final PostgresBinaries binaries;
    private final ServiceRoutes services;
    private final Map<String, Integer> servicePorts;
    private final Consumer<String> adapt;
    private final PodNames podNames = new PodNames();
    private final List<LocalPod> prepared = new CopyOnWriteArrayList<>();

    PodPreparation(RunDirectory run, OsUser user, PostgresBinaries binaries, ServiceRoutes services,
                   Map<String, Integer> servicePorts, Consumer<String> adapt) {
        this.run = run;
        this.user = user;
        this.binaries = binaries;
        this.services = services;
        this.servicePorts = servicePorts;
        this.adapt = adapt;
    }

    /** Every pod prepared so far, in order: started servers (deleted or not) and containers run to completion. */
    List<LocalPod> prepared() {
        return List.copyOf(prepared);
    }

    /** Where a claim's data lives: a directory of the run. */
    Path volume(String claimName) {
        return run.root().resolve("volumes").resolve(claimName);
    }

    LocalPod prepare(ContainerPlan plan, int port) {
        String name = podNames.next(plan);
        Path root = run.dir(user, "pods", name);
        Path fs = run.dir(user, "pods", name, "fs");
        PathMap paths = new PathMap();
        ImageContract image = plan.imageContract();
        // The image's socket directory, played by a short per-pod directory (socket paths are limited to 107 bytes).
        paths.map(image.socketDirectory(), run.dir(user, "sock", name));
        for (MountPlan m : plan.mounts()) {
            if (m.source() instanceof MountSource.Claim c) {
                if (!Files.isDirectory(volume(c.claimName()))) {
                    throw new IllegalStateException(plan.source() + ": pod " + plan.podName() + " mounts PersistentVolumeClaim "
                            + c.claimName() + ", which has not been created (Kubernetes would leave the pod Pending)");
                }
                paths.map(m.mountPath(), volume(c.claimName()));
            } else {
                paths.map(m.mountPath(), fs.resolve(m.mountPath().substring(1)));
            }
        }
        // The image's own directories, where nothing is mounted: its init scripts'; the sclorg image's home, hooks,
        // configuration directory and scripts, which are in the image (empty), so that files can be mounted in them.
        image.initScripts().filter(dir -> plan.mountAt(dir).isEmpty())
                .ifPresent(dir -> paths.map(dir, fs.resolve(dir.substring(1))));
        List<String> imageDirs = new ArrayList<>();
        Stream.of(image.home(), image.preStartHooks(), image.initHooks(), image.startHooks(), image.configDirectory())
                .flatMap(Optional::stream).forEach(imageDirs::add);
        if (image == SclorgEntrypoint.CONTRACT) {
            imageDirs.add(SclorgEntrypoint.CONTAINER_SCRIPTS);
        }
        for (String dir : imageDirs) {
            if (plan.mountAt(dir).isEmpty()) {
                paths.map(dir, run.dir(user, "pods", (name + "/fs" + dir).split("/")));
            }
        }
        for (MountPlan m : plan.mounts()) {
            materialise(plan, m, paths);
        }
        if (image == SclorgEntrypoint.CONTRACT) {
            // The image's own programs its probes run, played by the offline stand-in's (images/sclorg-postgresql/).
            for (Map.Entry<String, String> program : SclorgEntrypoint.imagePrograms().entrySet()) {
                Path host = fs.resolve(program.getKey().substring(1));
                writeProgram(host, program.getValue());
                paths.map(program.getKey(), host);
            }
        }
        Map<String, String> env = podEnv(plan, paths, name, port);
        LocalPod pod = new LocalPod(name, plan, root, paths, env, root.resolve(plan.containerName() + ".log"), port);
        try {
            Files.createFile(pod.log);
            user.own(pod.log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        prepared.add(pod);
        return pod;
    }

    private void writeProgram(Path host, String text) {
        try {
            Files.createDirectories(host.getParent());
            Files.writeString(host, text);
            Files.setPosixFilePermissions(host, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            for (Path p = host; p.startsWith(run.root()) && !p.equals(run.root()); p = p.getParent()) {
                user.own(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the image's program " + host, e);
        }
    }

    private void materialise(ContainerPlan plan, MountPlan m, PathMap paths) {
        Path target = paths.host(m.mountPath());
        try {
            if (m.source() instanceof MountSource.ConfigMapFiles cm) {
                if (cm.singleFile()) {
                    Files.createDirectories(target.getParent());
                    String key = cm.files().keySet().iterator().next();
                    writeMounted(plan, cm, key, target, cm.files().get(key), paths);
                } else {
                    Files.createDirectories(target);
                    for (Map.Entry<String, String> f : cm.files().entrySet()) {
                        writeMounted(plan, cm, f.getKey(), target.resolve(f.getKey()), f.getValue(), paths);
                    }
                }
            } else if (m.source() instanceof MountSource.EmptyDir) {
                Files.createDirectories(target);
            }
            for (Path p = target; p.startsWith(run.root()) && !p.equals(run.root()); p = p.getParent()) {
                user.own(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot mount " + m.mountPath() + " for " + plan.podName(), e);
        }
    }

    private void writeMounted(ContainerPlan plan, MountSource.ConfigMapFiles cm, String key, Path file, String content,
                              PathMap paths) throws IOException {
        String configMap = cm.configMap();
        String text = paths.rewrite(content);
        if (!text.equals(content)) {
            adapt.accept("ConfigMap `" + configMap + "`, key `" + key + "`: container paths rewritten to the run's directories "
                    + describeRewrite(content, text) + ".");
        }
        if (HbaCidrs.isHbaFile(key)) {
            text = loopbackCidrs(configMap, key, text);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, cm.permissions());
        user.own(file);
    }

    /** pg_hba.conf: the pod network's CIDR becomes loopback, where the local pods' clients come from. */
    private String loopbackCidrs(String configMap, String key, String text) {
        return HbaCidrs.replace(text, "127.0.0.1/32", (from, to) ->
                adapt.accept("ConfigMap `" + configMap + "`, key `" + key + "`: pod network CIDR `" + from
                        + "` → `127.0.0.1/32` (clients of the local backend connect from loopback)."));
    }

    private Map<String, String> podEnv(ContainerPlan plan, PathMap paths, String podName, int port) {
        Map<String, String> env = new LinkedHashMap<>();
        ImageContract image = plan.imageContract();
        env.put("PATH", binaries.bin() + ":/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", image.home().map(h -> paths.host(h).toString())
                .orElseGet(() -> run.root().resolve("pods").resolve(podName).toString()));
        env.put("LANG", "C.UTF-8");
        if (image == SclorgEntrypoint.CONTRACT) {
            // The sclorg image's ENV (its Dockerfile), before the pod's own; its PGDATA is run-postgresql's, below.
            env.put("POSTGRESQL_VERSION", Integer.toString(binaries.major()));
            env.put("PGUSER", "postgres");
            env.put("CONTAINER_SCRIPTS_PATH", paths.host(SclorgEntrypoint.CONTAINER_SCRIPTS).toString());
        }
        Integer servicePort = null;
        for (Map.Entry<String, String> e : plan.env().entrySet()) {
            String value = e.getValue();
            if (services.has(value)) {
                servicePort = servicePorts.get(value);
                adapt.accept("Env `" + e.getKey() + "` of " + plan.podName() + "/" + plan.containerName() + ": Service name `" + value
                        + "` → `127.0.0.1`, with `PGPORT` set to that Service's port (in a pod, cluster DNS and the Service port do this).");
                value = "127.0.0.1";
            }
            String rewritten = paths.rewrite(value);
            if (!rewritten.equals(value)) {
                adapt.accept("Env `" + e.getKey() + "` of " + plan.podName() + "/" + plan.containerName() + ": `" + value + "` → "
                        + shortPath(rewritten) + ".");
            }
            env.put(e.getKey(), rewritten);
        }
        if (image == SclorgEntrypoint.CONTRACT) {
            env.put("PGDATA", paths.rewrite(image.pgdata(plan.env()))); // run-postgresql's, whatever the pod says
        }
        if (servicePort != null) {
            env.put("PGPORT", Integer.toString(servicePort)); // the Service named in the env, reached over TCP
        } else {
            // Inside the pod, psql reaches its own server through the image's socket directory and port.
            env.put("PGHOST", paths.host(image.socketDirectory()).toString());
            env.put("PGPORT", Integer.toString(port));
        }
        return env;
    }

    List<String> rewrittenArgs(LocalPod pod) {
        List<String> out = new ArrayList<>();
        for (String a : pod.plan().args()) {
            String r = pod.paths.rewrite(a);
            if (!r.equals(a)) {
                adapt.accept("Arg `" + a + "` of " + pod.plan().podName() + "/" + pod.plan().containerName() + " → " + shortPath(r) + ".");
            }
            out.add(r);
        }
        return out;
    }

    /** A host path with the run directory written {@code $RUN}, as the report shows it. */
    String shortPath(String s) {
        return "`" + s.replace(run.root().toString(), "$RUN") + "`";
    }

    private String describeRewrite(String before, String after) {
        Set<String> changes = new LinkedHashSet<>();
        String[] b = before.split("\n");
        String[] a = after.split("\n");
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (!a[i].equals(b[i])) {
                changes.add("`" + b[i].trim() + "` → " + shortPath(a[i].trim()));
            }
        }
        return String.join("; ", changes);
    }
}

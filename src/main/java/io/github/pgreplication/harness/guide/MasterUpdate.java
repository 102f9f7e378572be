package io.github.pgreplication.harness.guide;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Étape 1.5's four modifications of the master's DeploymentConfig, as the manifests under test write them (the guide's
 * own manifests: its four fragments): the volumes it adds, the main container's mounts and env it adds, and its args.
 * Removed from the manifests' template, they give the master before the guide; merged into a config as {@code oc get
 * -o yaml} saved it, they give the file Étape 1.5's reader applies.
 *
 * @param container the main container the fragments 2 to 4 go into
 */
public record MasterUpdate(String container, List<Volume> volumes, List<VolumeMount> mounts, List<EnvVar> env,
                           List<String> args) {

    /** The volumes and env variables Étape 1.5 adds, by name. */
    static final Set<String> VOLUMES = Set.of("master-config", "master-init", "archive");
    static final Set<String> ENV = Set.of("REPLICATION_PASSWORD", "POSTGRESQL_ADMIN_PASSWORD");

    public MasterUpdate {
        volumes = List.copyOf(volumes);
        mounts = List.copyOf(mounts);
        env = List.copyOf(env);
        args = List.copyOf(args);
    }

    /** What Étape 1.5 added to {@code after}, the master's template as the manifests leave it. */
    static MasterUpdate of(PodTemplateSpec after) {
        Container c = after.getSpec().getContainers().get(0);
        return new MasterUpdate(c.getName(),
                none(after.getSpec().getVolumes()).stream().filter(v -> VOLUMES.contains(v.getName())).toList(),
                none(c.getVolumeMounts()).stream().filter(m -> VOLUMES.contains(m.getName())).toList(),
                none(c.getEnv()).stream().filter(e -> ENV.contains(e.getName())).toList(),
                none(c.getArgs()));
    }

    /** {@code after} without what Étape 1.5 added: the master before the guide. */
    static PodTemplateSpec removedFrom(PodTemplateSpec after) {
        PodTemplateSpec before = ManifestSet.SERIALIZATION.clone(after);
        before.getSpec().getVolumes().removeIf(v -> VOLUMES.contains(v.getName()));
        for (Container c : before.getSpec().getContainers()) {
            c.getVolumeMounts().removeIf(m -> VOLUMES.contains(m.getName()));
            c.getEnv().removeIf(e -> ENV.contains(e.getName()));
            c.setArgs(new ArrayList<>());
        }
        return before;
    }

    /**
     * The reader's edit of a DeploymentConfig saved by {@code oc get -o yaml} ({@code saved}, as parsed; left unchanged):
     * each fragment's items added after the existing ones (« ... volumes existants ... »), the args set; everything else
     * as saved, its resourceVersion and status included.
     *
     * @throws IllegalArgumentException naming what is missing, where {@code saved} has no pod template or no container
     *                                  {@link #container}
     */
    public Map<String, Object> mergedInto(Map<String, Object> saved) {
        Map<String, Object> config = ManifestSet.convert(saved, Map.class);
        Map<String, Object> spec = child(child(child(config, "spec"), "template"), "spec");
        Map<String, Object> c = list(spec, "containers").stream().map(MasterUpdate::map)
                .filter(m -> container.equals(m.get("name"))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("spec.template.spec.containers has no container named "
                        + container + ", which Étape 1.5's fragments 2 to 4 change"));
        volumes.forEach(v -> list(spec, "volumes").add(ManifestSet.convert(v, Map.class)));
        mounts.forEach(m -> list(c, "volumeMounts").add(ManifestSet.convert(m, Map.class)));
        env.forEach(e -> list(c, "env").add(ManifestSet.convert(e, Map.class)));
        c.put("args", new ArrayList<>(args));
        return config;
    }

    /**
     * What of this update a DeploymentConfig ({@code config}, as parsed) does not hold in its pod template: each volume,
     * mount and env variable missing, and args other than these; empty when it holds it all.
     */
    public List<String> missingFrom(Map<String, Object> config) {
        Map<String, Object> spec = child(child(child(config, "spec"), "template"), "spec");
        Optional<Map<String, Object>> c = list(spec, "containers").stream().map(MasterUpdate::map)
                .filter(m -> container.equals(m.get("name"))).findFirst();
        if (c.isEmpty()) {
            return List.of("the container " + container);
        }
        List<String> out = new ArrayList<>();
        List<Object> names = list(spec, "volumes").stream().map(v -> map(v).get("name")).toList();
        volumes.stream().filter(v -> !names.contains(v.getName())).forEach(v -> out.add("the volume " + v.getName()));
        List<Object> paths = list(c.get(), "volumeMounts").stream().map(m -> map(m).get("mountPath")).toList();
        mounts.stream().filter(m -> !paths.contains(m.getMountPath())).forEach(m -> out.add("the mount " + m.getMountPath()));
        List<Object> vars = list(c.get(), "env").stream().map(e -> map(e).get("name")).toList();
        env.stream().filter(e -> !vars.contains(e.getName())).forEach(e -> out.add("the env variable " + e.getName()));
        if (!args.equals(list(c.get(), "args"))) {
            out.add("the args " + args + " (holds " + list(c.get(), "args") + ")");
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
    }

    private static Map<String, Object> child(Map<String, Object> parent, String key) {
        if (!(parent.get(key) instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("no " + key + " where Étape 1.5 edits spec.template.spec");
        }
        return map(parent.get(key));
    }

    /** The list under {@code key}, made where absent (a container with no env yet). */
    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> parent, String key) {
        if (!(parent.get(key) instanceof List<?>)) {
            parent.put(key, new ArrayList<>());
        }
        return (List<Object>) parent.get(key);
    }

    private static <T> List<T> none(List<T> l) {
        return l == null ? List.of() : l;
    }
}

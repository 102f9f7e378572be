package io.github.pgreplication.harness.lint;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.guide.LoadedResource;
import io.github.pgreplication.harness.guide.ManifestSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the rules read: the manifests, the guide (for its {@code oc -l} selectors), the parameters the target
 * PostgreSQL major knows, and the pod templates and server configurations found in the manifests.
 */
public final class LintContext {

    /** Where a rule found something. */
    public record At(String file, int line, String resource, String field, String message) {

        /** A field of a resource of the manifests. */
        public static At on(LoadedResource r, String field, String message) {
            return new At(r.file().getFileName().toString(), r.line(), r.ref(), field, message);
        }
    }

    /** A pod template of a workload (Deployment, DeploymentConfig, CronJob), with the path of its spec. */
    public record Workload(LoadedResource resource, PodTemplateSpec template, String path, boolean longRunning) {

        /** The init containers, then the containers. */
        public List<Container> allContainers() {
            List<Container> all = new ArrayList<>();
            Optional.ofNullable(template.getSpec().getInitContainers()).ifPresent(all::addAll);
            Optional.ofNullable(template.getSpec().getContainers()).ifPresent(all::addAll);
            return all;
        }

        /** The containers, without the init containers. */
        public List<Container> containers() {
            return Optional.ofNullable(template.getSpec().getContainers()).orElse(List.of());
        }

        public Map<String, Volume> volumesByName() {
            Map<String, Volume> out = new LinkedHashMap<>();
            Optional.ofNullable(template.getSpec().getVolumes()).orElse(List.of()).forEach(v -> out.put(v.getName(), v));
            return out;
        }

        /** Whether the pod template carries every one of these labels. */
        public boolean hasLabels(Map<String, String> wanted) {
            Map<String, String> labels = template.getMetadata() == null || template.getMetadata().getLabels() == null
                    ? Map.of() : template.getMetadata().getLabels();
            return labels.entrySet().containsAll(wanted.entrySet());
        }

        public At at(String field, String message) {
            return new At(resource.file().getFileName().toString(), resource.line(), resource.ref(), path + field, message);
        }
    }

    /** A PostgreSQL configuration file mounted from a ConfigMap and named by a server's args. */
    public record ServerFile(LoadedResource configMap, String key, String text, Workload workload) {
        public At at(int line, String message) {
            return new At(configMap.file().getFileName().toString(), configMap.line(), configMap.ref(), "data." + key
                    + (line > 0 ? " line " + line : ""), message);
        }
    }

    private final ManifestSet set;
    private final Optional<GuideDocument> guide;
    private final int targetMajor;
    private final Optional<Set<String>> knownParameters;
    private final Optional<String> podCidr;
    private final List<Workload> workloads = new ArrayList<>();

    public LintContext(ManifestSet set, Optional<GuideDocument> guide, int targetMajor, Optional<Set<String>> knownParameters) {
        this(set, guide, targetMajor, knownParameters, Optional.empty());
    }

    /** With the cluster's pod network ({@code harness.kube.pod-cidr}) when the team gives it. */
    public LintContext(ManifestSet set, Optional<GuideDocument> guide, int targetMajor, Optional<Set<String>> knownParameters,
                       Optional<String> podCidr) {
        this.set = set;
        this.guide = guide;
        this.targetMajor = targetMajor;
        this.knownParameters = knownParameters;
        this.podCidr = podCidr.map(String::trim).filter(c -> !c.isEmpty());
        for (LoadedResource r : set.resources()) {
            if (r.resource() instanceof Deployment d && d.getSpec() != null && d.getSpec().getTemplate() != null) {
                workloads.add(new Workload(r, d.getSpec().getTemplate(), "spec.template.spec.", true));
            } else if (r.resource() instanceof CronJob c && c.getSpec() != null && c.getSpec().getJobTemplate() != null
                    && c.getSpec().getJobTemplate().getSpec() != null) {
                workloads.add(new Workload(r, c.getSpec().getJobTemplate().getSpec().getTemplate(),
                        "spec.jobTemplate.spec.template.spec.", false));
            } else if (r.resource() instanceof GenericKubernetesResource g && "DeploymentConfig".equals(g.getKind())
                    && g.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec && spec.get("template") != null) {
                workloads.add(new Workload(r, ManifestSet.convert(spec.get("template"), PodTemplateSpec.class),
                        "spec.template.spec.", true));
            }
        }
        workloads.removeIf(w -> w.template().getSpec() == null);
    }

    public ManifestSet manifests() {
        return set;
    }

    public Optional<GuideDocument> guide() {
        return guide;
    }

    public int targetMajor() {
        return targetMajor;
    }

    public Optional<Set<String>> knownParameters() {
        return knownParameters;
    }

    public List<Workload> workloads() {
        return workloads;
    }

    /** The cluster's pod network as the team gives it ({@code harness.kube.pod-cidr}); empty when it does not. */
    public Optional<String> podCidr() {
        return podCidr;
    }

    /** The long-running workloads (Deployments, DeploymentConfigs) whose pod template carries every label of a selector. */
    public List<Workload> selectedBy(Map<String, String> selector) {
        if (selector == null || selector.isEmpty()) {
            return List.of();
        }
        return workloads.stream().filter(w -> w.longRunning() && w.hasLabels(selector)).toList();
    }

    /**
     * The guide's step a resource belongs to, by the structure the guide gives it: the master's DeploymentConfig and what
     * it mounts (Étapes 1.5, 1.3, 1.4), the replica's Deployment, its ConfigMap, claim and Service (Étapes 2.3, 2.2,
     * 2.1, 2.4), the master's Service (drawn in the overview), the monitoring CronJob.
     */
    public String step(LoadedResource r) {
        switch (r.kind()) {
            case "DeploymentConfig":
                return "Étape 1.5";
            case "Deployment":
                return "Étape 2.3";
            case "CronJob":
                return "CronJob de monitoring";
            case "Service":
                Service service = (Service) r.resource();
                List<Workload> selected = selectedBy(service.getSpec() == null ? null : service.getSpec().getSelector());
                if (selected.stream().anyMatch(w -> w.resource().kind().equals("Deployment"))) {
                    return "Étape 2.4";
                }
                return selected.isEmpty() ? "Prérequis" : "Vue d'ensemble";
            case "PersistentVolumeClaim":
                return usedBy(r, "Deployment") ? "Étape 2.1" : "Étape 1.5";
            case "ConfigMap":
                if (usedBy(r, "Deployment")) {
                    return "Étape 2.2";
                }
                if (serverFiles("config_file").stream().anyMatch(f -> f.configMap().equals(r))) {
                    return "Étape 1.3";
                }
                return usedBy(r, "DeploymentConfig") ? "Étape 1.4" : "Prérequis";
            default:
                return "Prérequis";
        }
    }

    /** Whether a workload of this kind mounts the claim or ConfigMap. */
    private boolean usedBy(LoadedResource r, String kind) {
        return workloads.stream().filter(w -> w.resource().kind().equals(kind)).anyMatch(w -> w.volumesByName().values()
                .stream().anyMatch(v -> (v.getPersistentVolumeClaim() != null
                        && v.getPersistentVolumeClaim().getClaimName().equals(r.name()) && r.kind().equals("PersistentVolumeClaim"))
                        || (v.getConfigMap() != null && v.getConfigMap().getName().equals(r.name()) && r.kind().equals("ConfigMap"))));
    }

    /** The ConfigMap of that name, if the manifests define it. */
    public Optional<ConfigMap> configMap(String name) {
        return set.find("ConfigMap", name).map(r -> (ConfigMap) r.resource());
    }

    /** Whether some pod template carries every one of these labels. */
    public boolean anyWorkloadHasLabels(Map<String, String> wanted) {
        return workloads.stream().anyMatch(w -> w.hasLabels(wanted));
    }

    /** A container's command, then its args. */
    public static List<String> commandWords(Container c) {
        List<String> words = new ArrayList<>();
        Optional.ofNullable(c.getCommand()).ifPresent(words::addAll);
        Optional.ofNullable(c.getArgs()).ifPresent(words::addAll);
        return words;
    }

    public static List<VolumeMount> volumeMounts(Container c) {
        return Optional.ofNullable(c.getVolumeMounts()).orElse(List.of());
    }

    /**
     * The file a server reads for {@code -c <parameter>=<path>} (config_file, hba_file), resolved through the
     * container's mounts to a ConfigMap key; one per workload naming it.
     */
    public List<ServerFile> serverFiles(String parameter) {
        List<ServerFile> out = new ArrayList<>();
        for (Workload w : workloads) {
            for (Container c : w.containers()) {
                for (String word : commandWords(c)) {
                    if (word.startsWith(parameter + "=")) {
                        mountedFile(w, c, word.substring(parameter.length() + 1)).ifPresent(out::add);
                    }
                }
            }
        }
        return out;
    }

    /** The ConfigMap key a container finds at a path: through the first mount holding the path, if it mounts a ConfigMap. */
    Optional<ServerFile> mountedFile(Workload w, Container c, String path) {
        Optional<VolumeMount> mount = volumeMounts(c).stream()
                .filter(m -> m.getMountPath().equals(path) || path.startsWith(m.getMountPath() + "/")).findFirst();
        if (mount.isEmpty()) {
            return Optional.empty();
        }
        VolumeMount m = mount.get();
        Optional<Volume> volume = Optional.ofNullable(w.template().getSpec().getVolumes()).orElse(List.of()).stream()
                .filter(v -> v.getName().equals(m.getName()) && v.getConfigMap() != null).findFirst();
        if (volume.isEmpty()) {
            return Optional.empty();
        }
        String key = m.getSubPath() != null && !m.getSubPath().isEmpty() ? m.getSubPath()
                : path.substring(m.getMountPath().length() + 1);
        Optional<LoadedResource> configMap = set.find("ConfigMap", volume.get().getConfigMap().getName());
        return configMap.flatMap(cm -> Optional.ofNullable(((ConfigMap) cm.resource()).getData()))
                .map(data -> data.get(key)).map(text -> new ServerFile(configMap.get(), key, text, w));
    }

    /** The master's configuration: the config_file of the DeploymentConfig (the existing master). */
    public Optional<ServerFile> masterConf() {
        return serverFiles("config_file").stream().filter(f -> f.workload().resource().kind().equals("DeploymentConfig"))
                .findFirst();
    }

    /** The replica's configuration: the config_file of the Deployment. */
    public Optional<ServerFile> replicaConf() {
        return serverFiles("config_file").stream().filter(f -> f.workload().resource().kind().equals("Deployment"))
                .findFirst();
    }

    public Optional<ServerFile> masterHba() {
        return serverFiles("hba_file").stream().filter(f -> f.workload().resource().kind().equals("DeploymentConfig"))
                .findFirst();
    }

    /** Every script a ConfigMap holds (keys ending in .sh), with the ConfigMap. */
    public List<ServerFile> scripts() {
        List<ServerFile> out = new ArrayList<>();
        for (LoadedResource r : set.ofKind("ConfigMap")) {
            ConfigMap cm = (ConfigMap) r.resource();
            for (Map.Entry<String, String> e : Optional.ofNullable(cm.getData()).orElse(Map.of()).entrySet()) {
                if (e.getKey().endsWith(".sh")) {
                    out.add(new ServerFile(r, e.getKey(), e.getValue(), null));
                }
            }
        }
        return out;
    }
}

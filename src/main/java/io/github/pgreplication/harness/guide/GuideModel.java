package io.github.pgreplication.harness.guide;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the backends need from a manifests directory, in the guide's terms: the master's DeploymentConfig
 * (after Étape 1.5, and before it), the replica's Deployment with its init container, the services, and
 * each container resolved to a {@link ContainerPlan}.
 */
public final class GuideModel {

    private final ManifestSet set;
    private final LoadedResource masterDc;
    private final LoadedResource replicaDeployment;
    private final GuideNames names;

    public GuideModel(ManifestSet set) {
        this.set = set;
        this.masterDc = set.requireSingle("DeploymentConfig", "the existing master, Étape 1.5");
        this.replicaDeployment = set.requireSingle("Deployment", "the replica, Étape 2.3");
        // Fail early, before anything starts, on what Phase 1 and 2 will read.
        masterTemplate();
        replicaTemplate();
        this.names = GuideNames.of(this);
    }

    /** The names this directory gives what the guide names (found from the structure, never assumed). */
    public GuideNames names() {
        return names;
    }

    /**
     * The master's init script (Étape 1.4): the ConfigMap key its DeploymentConfig mounts by subPath in a directory where
     * some image runs scripts (the guide's is the official image's init scripts, whatever image the master runs).
     */
    public String masterInitScript() {
        return set.configMapValue(names.get(GuideNames.Role.MASTER_INIT), masterInitMount().getSubPath());
    }

    /** Where the master's init script is mounted (Étape 1.5). */
    public String masterInitScriptPath() {
        return masterInitMount().getMountPath();
    }

    private VolumeMount masterInitMount() {
        Container c = masterTemplate().getSpec().getContainers().get(0);
        List<String> dirs = ImageContract.scriptDirectories();
        return Optional.ofNullable(c.getVolumeMounts()).orElse(List.of()).stream()
                .filter(v -> v.getSubPath() != null && dirs.stream().anyMatch(d -> v.getMountPath().startsWith(d + "/")))
                .findFirst().orElseThrow(() -> new ManifestException(masterDc.file(), masterDc.ref(), "volumeMounts",
                        "expected the init script mounted by subPath under one of " + dirs + " (Étape 1.5)"));
    }

    /** The Service whose selector picks the replica's pods (Étape 2.4). */
    public Service replicaService() {
        Map<String, String> labels = Optional.ofNullable(replicaTemplate().getMetadata())
                .map(m -> m.getLabels()).orElse(Map.of());
        return services().stream().filter(s -> s.getSpec() != null && s.getSpec().getSelector() != null
                        && !s.getSpec().getSelector().isEmpty() && labels.entrySet().containsAll(s.getSpec().getSelector().entrySet()))
                .findFirst().orElseThrow(() -> new ManifestException(set.dir(), "Service", "spec.selector",
                        "no Service selects the replica's pod labels " + labels + " (Étape 2.4)"));
    }

    public static GuideModel load(java.nio.file.Path dir) {
        return new GuideModel(ManifestSet.load(dir));
    }

    public ManifestSet manifests() {
        return set;
    }

    public LoadedResource masterDeploymentConfig() {
        return masterDc;
    }

    public LoadedResource replicaDeployment() {
        return replicaDeployment;
    }

    /** The existing master's profile, as this directory declares it: by its master's image. */
    public MasterProfile masterProfile() {
        return MasterProfile.of(ImageContract.of(masterTemplate().getSpec().getContainers().get(0).getImage()));
    }

    /** The master's pod template as Étape 1.5 leaves it. */
    public PodTemplateSpec masterTemplate() {
        GenericKubernetesResource dc = (GenericKubernetesResource) masterDc.resource();
        Object template = Optional.ofNullable(dc.getAdditionalProperties().get("spec"))
                .filter(Map.class::isInstance).map(s -> ((Map<?, ?>) s).get("template")).orElse(null);
        if (template == null) {
            throw new ManifestException(masterDc.file(), masterDc.ref(), "spec.template", "missing pod template");
        }
        PodTemplateSpec spec = ManifestSet.convert(template, PodTemplateSpec.class);
        requireContainers(masterDc, spec, "spec.template.spec.containers");
        return spec;
    }

    /** The master before the guide (Étape 1.1's backup): Étape 1.5's volumes, mounts, env and args removed. */
    public PodTemplateSpec masterTemplateBeforeGuide() {
        return MasterUpdate.removedFrom(masterTemplate());
    }

    /** Étape 1.5's four modifications of the master's DeploymentConfig, as these manifests write them. */
    public MasterUpdate masterUpdate() {
        return MasterUpdate.of(masterTemplate());
    }

    /** {@code template} with its first container's args given after its image's command (as the sclorg image takes them). */
    public static PodTemplateSpec argsAfterImageCommand(PodTemplateSpec template) {
        PodTemplateSpec out = ManifestSet.SERIALIZATION.clone(template);
        Container c = out.getSpec().getContainers().get(0);
        List<String> args = new ArrayList<>(Optional.ofNullable(c.getArgs()).orElse(List.of()));
        args.add(0, ImageContract.of(c.getImage()).command());
        c.setArgs(args);
        return out;
    }

    public PodTemplateSpec replicaTemplate() {
        Deployment d = (Deployment) replicaDeployment.resource();
        if (d.getSpec() == null || d.getSpec().getTemplate() == null) {
            throw new ManifestException(replicaDeployment.file(), replicaDeployment.ref(), "spec.template",
                    "missing pod template");
        }
        requireContainers(replicaDeployment, d.getSpec().getTemplate(), "spec.template.spec.containers");
        return d.getSpec().getTemplate();
    }

    private static void requireContainers(LoadedResource r, PodTemplateSpec t, String key) {
        if (t.getSpec() == null || t.getSpec().getContainers() == null || t.getSpec().getContainers().isEmpty()) {
            throw new ManifestException(r.file(), r.ref(), key, "expected at least one container");
        }
    }

    /** The replica's init container (Étape 2.3's {@code setup-slave}). */
    public Container replicaInitContainer() {
        List<Container> inits = replicaTemplate().getSpec().getInitContainers();
        if (inits == null || inits.isEmpty()) {
            throw new ManifestException(replicaDeployment.file(), replicaDeployment.ref(),
                    "spec.template.spec.initContainers", "expected the init container that runs setup-slave.sh");
        }
        return inits.get(0);
    }

    /** The value of {@code MASTER_SERVICE} in the init container: the Service name the replica reaches the master by. */
    public String masterServiceName() {
        return replicaInitContainer().getEnv().stream().filter(e -> "MASTER_SERVICE".equals(e.getName()))
                .map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new ManifestException(replicaDeployment.file(), replicaDeployment.ref(),
                        "initContainers[0].env.MASTER_SERVICE", "expected the master's Service name"));
    }

    public List<Service> services() {
        return set.ofKind("Service").stream().map(r -> (Service) r.resource()).toList();
    }

    /** The Service of this name; the error names the directory when it is absent. */
    public Service service(String name) {
        return (Service) set.require("Service", name).resource();
    }

    /** Resolves a container of a template: env from Secrets, mounts from ConfigMaps, claims and emptyDirs. */
    public ContainerPlan plan(String podName, LoadedResource owner, PodTemplateSpec template, Container c,
                              RunSecrets secrets) {
        String where = owner.ref() + " container " + c.getName();
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar e : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
            if (e.getValue() != null) {
                env.put(e.getName(), e.getValue());
            } else if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                SecretKeySelector ref = e.getValueFrom().getSecretKeyRef();
                try {
                    env.put(e.getName(), secrets.value(ref.getName(), ref.getKey()));
                } catch (ManifestException missing) {
                    throw new ManifestException(owner.file(), where, "env." + e.getName() + ".valueFrom.secretKeyRef",
                            missing.getMessage(), missing);
                }
            } else {
                throw new ManifestException(owner.file(), where, "env." + e.getName(),
                        "expected value or valueFrom.secretKeyRef");
            }
        }
        List<MountPlan> mounts = new ArrayList<>();
        for (VolumeMount m : Optional.ofNullable(c.getVolumeMounts()).orElse(List.of())) {
            Volume v = template.getSpec().getVolumes().stream().filter(x -> x.getName().equals(m.getName()))
                    .findFirst().orElseThrow(() -> new ManifestException(owner.file(), where,
                            "volumeMounts." + m.getName(), "mounts a volume the pod template does not define"));
            mounts.add(new MountPlan(m.getMountPath(), v.getName(), source(owner, where, v, m)));
        }
        Optional<List<String>> readiness = Optional.ofNullable(c.getReadinessProbe())
                .map(p -> p.getExec() == null ? null : p.getExec().getCommand());
        Map<String, String> labels = template.getMetadata() == null || template.getMetadata().getLabels() == null
                ? Map.of() : new TreeMap<>(template.getMetadata().getLabels());
        return new ContainerPlan(podName, c.getName(), c.getImage(),
                Optional.ofNullable(c.getCommand()).orElse(List.of()),
                Optional.ofNullable(c.getArgs()).orElse(List.of()), env, mounts, readiness, ProbePlan.of(c.getLivenessProbe()),
                labels, owner.where(), ResourcePlan.of(c.getResources()), owner.kind());
    }

    /** The replica's Deployment as its controller runs it, resolved with the run's Secrets. */
    public DeploymentPlan replicaDeploymentPlan(RunSecrets secrets) {
        Deployment d = (Deployment) replicaDeployment.resource();
        PodTemplateSpec t = replicaTemplate();
        String name = replicaDeployment.name();
        Map<String, String> selector = d.getSpec().getSelector() == null || d.getSpec().getSelector().getMatchLabels() == null
                ? Map.of() : new TreeMap<>(d.getSpec().getSelector().getMatchLabels());
        return new DeploymentPlan(name, selector, Optional.ofNullable(d.getSpec().getReplicas()).orElse(1),
                Optional.ofNullable(d.getSpec().getStrategy()).map(s -> s.getType()),
                Optional.ofNullable(t.getSpec().getInitContainers()).orElse(List.of()).stream()
                        .map(c -> plan(name, replicaDeployment, t, c, secrets)).toList(),
                t.getSpec().getContainers().stream().map(c -> plan(name, replicaDeployment, t, c, secrets)).toList());
    }

    /**
     * A CronJob's Job as its jobTemplate makes it: its first container resolved with the run's Secrets, the identity
     * and restart policy of its pod, the Job's backoff limit, the CronJob's schedule and concurrency policy.
     */
    public JobPlan jobPlan(LoadedResource cronJob, RunSecrets secrets) {
        CronJob cj = (CronJob) cronJob.resource();
        JobSpec job = Optional.ofNullable(cj.getSpec()).map(s -> s.getJobTemplate()).map(j -> j.getSpec())
                .orElseThrow(() -> new ManifestException(cronJob.file(), cronJob.ref(), "spec.jobTemplate.spec",
                        "expected the Job's spec"));
        PodTemplateSpec template = job.getTemplate();
        if (template == null || template.getSpec() == null || template.getSpec().getContainers() == null
                || template.getSpec().getContainers().isEmpty()) {
            throw new ManifestException(cronJob.file(), cronJob.ref(), "spec.jobTemplate.spec.template.spec.containers",
                    "expected the Job's container");
        }
        String restart = Optional.ofNullable(template.getSpec().getRestartPolicy()).orElse("Never");
        return new JobPlan(cronJob.name(), cj.getSpec().getSchedule(), Optional.ofNullable(cj.getSpec().getConcurrencyPolicy()),
                plan(cronJob.name(), cronJob, template, template.getSpec().getContainers().get(0), secrets),
                Optional.ofNullable(template.getSpec().getServiceAccountName()),
                Optional.ofNullable(template.getSpec().getAutomountServiceAccountToken()), restart,
                Optional.ofNullable(job.getBackoffLimit()));
    }

    private MountSource source(LoadedResource owner, String where, Volume v, VolumeMount m) {
        if (v.getPersistentVolumeClaim() != null) {
            return new MountSource.Claim(v.getPersistentVolumeClaim().getClaimName());
        }
        if (v.getEmptyDir() != null) {
            return new MountSource.EmptyDir(v.getName());
        }
        if (v.getConfigMap() != null) {
            ConfigMapVolumeSource cmv = v.getConfigMap();
            int mode = cmv.getDefaultMode() == null ? 0644 : cmv.getDefaultMode();
            ConfigMap cm = (ConfigMap) set.find("ConfigMap", cmv.getName()).map(LoadedResource::resource)
                    .orElseThrow(() -> new ManifestException(owner.file(), where, "volumes." + v.getName()
                            + ".configMap.name", "refers to ConfigMap '" + cmv.getName()
                            + "', which no file of " + set.dir() + " defines"));
            String subPath = m.getSubPath();
            if (subPath != null && !subPath.isEmpty()) {
                String value = cm.getData() == null ? null : cm.getData().get(subPath);
                if (value == null) {
                    throw new ManifestException(owner.file(), where, "volumeMounts." + m.getName() + ".subPath",
                            "ConfigMap '" + cmv.getName() + "' has no key '" + subPath + "' (it has "
                                    + (cm.getData() == null ? List.of() : new TreeMap<>(cm.getData()).keySet()) + ")");
                }
                return new MountSource.ConfigMapFiles(cmv.getName(), Map.of(subPath, value), mode, true);
            }
            return new MountSource.ConfigMapFiles(cmv.getName(),
                    cm.getData() == null ? Map.of() : new TreeMap<>(cm.getData()), mode, false);
        }
        throw new ManifestException(owner.file(), where, "volumes." + v.getName(),
                "unsupported volume type (the harness knows persistentVolumeClaim, emptyDir and configMap)");
    }
}

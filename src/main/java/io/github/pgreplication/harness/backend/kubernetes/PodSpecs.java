package io.github.pgreplication.harness.backend.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.github.pgreplication.harness.backend.HbaCidrs;
import io.github.pgreplication.harness.backend.Probes;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.ImageContract;
import io.github.pgreplication.harness.guide.DeploymentPlan;
import io.github.pgreplication.harness.guide.MountPlan;
import io.github.pgreplication.harness.guide.MountSource;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What a pod is made of on the cluster, from a {@link ContainerPlan}: its container with its env through a Secret of
 * its own, its mounts (claims, emptyDirs, the ConfigMaps applied with this cluster's pod network in their pg_hba
 * lines), the image this cluster runs, and for a server its port and probes; a Pod of one such container, or a
 * Deployment's pod template of several.
 */
final class PodSpecs {

    /** The pods' grace period: the kubelet sends the image's stop signal and waits this long. */
    static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final int PROBE_PERIOD_S = 2;

    private final HarnessSettings settings;
    private final Cluster cluster;
    private final KubernetesClient client;
    private final String namespace;
    /** The pair's labels ({@link PairScope#labels()}), on every object made here. */
    private final Map<String, String> own;
    private final Consumer<String> adapt;
    private final Optional<String> podCidr;
    private volatile String imageDescription = "no image yet";

    PodSpecs(HarnessSettings settings, Cluster cluster, PairScope scope, Consumer<String> adapt) {
        this.settings = settings;
        this.cluster = cluster;
        this.client = cluster.client();
        this.namespace = scope.namespace();
        this.own = scope.labels();
        this.adapt = adapt;
        this.podCidr = cluster.podCidr().or(this::nodePodCidr);
    }

    /** The image the last pod made runs, and where it comes from, for the server's version line. */
    String imageDescription() {
        return imageDescription;
    }

    /** A Pod of one container: a server (restartPolicy Always, its port and probes) or one run to completion. */
    Pod pod(String name, ContainerPlan plan, boolean server) {
        Map<String, Volume> volumes = new LinkedHashMap<>();
        Container c = container(name + "-env", plan, server, volumes);
        Map<String, String> labels = new LinkedHashMap<>(plan.podLabels());
        labels.putAll(own);
        return new PodBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withRestartPolicy(server ? "Always" : "Never")
                .withTerminationGracePeriodSeconds(STOP_GRACE.toSeconds())
                .withContainers(c).withVolumes(new ArrayList<>(volumes.values())).endSpec().build();
    }

    /**
     * A Deployment (apps/v1): its init containers and containers as {@link #container} makes them (the first
     * container the server), its strategy as the manifest gives it (none: the cluster's default), its claims and
     * ConfigMaps in place.
     */
    Deployment deployment(DeploymentPlan deployment) {
        Map<String, Volume> volumes = new LinkedHashMap<>();
        List<Container> inits = new ArrayList<>();
        for (ContainerPlan p : deployment.initContainers()) {
            inits.add(container(deployment.name() + "-" + p.containerName() + "-env", p, false, volumes));
        }
        List<Container> mains = new ArrayList<>();
        for (ContainerPlan p : deployment.containers()) {
            mains.add(container(deployment.name() + "-" + p.containerName() + "-env", p, mains.isEmpty(), volumes));
        }
        Map<String, String> labels = new LinkedHashMap<>(deployment.containers().get(0).podLabels());
        labels.putAll(own);
        DeploymentBuilder d = new DeploymentBuilder()
                .withNewMetadata().withName(deployment.name()).withLabels(own).endMetadata()
                .withNewSpec().withReplicas(deployment.replicas()).withNewSelector().withMatchLabels(deployment.selector())
                .endSelector().withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withNewSpec()
                .withTerminationGracePeriodSeconds(STOP_GRACE.toSeconds()).withInitContainers(inits).withContainers(mains)
                .withVolumes(new ArrayList<>(volumes.values())).endSpec().endTemplate().endSpec();
        deployment.strategyType().ifPresent(t -> d.editSpec().withNewStrategy().withType(t).endStrategy().endSpec());
        return d.build();
    }

    /**
     * One container of a pod: its env through a Secret of its own ({@code secret}), its mounts (the volumes they need
     * added to {@code volumes}, the ConfigMaps applied), the image this cluster runs; a server also gets its port and
     * the readiness probe its manifest gives, run every second.
     */
    private Container container(String secret, ContainerPlan plan, boolean server, Map<String, Volume> volumes) {
        client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(secret).withLabels(own).endMetadata()
                .withStringData(plan.env()).build()).createOr(NonDeletingOperation::update);
        adapt.accept("A container's env (its values and the secretKeyRefs resolved from the manifests' Secrets) → envFrom a "
                + "Secret of the pod's own.");
        List<VolumeMount> mounts = new ArrayList<>();
        for (MountPlan m : plan.mounts()) {
            VolumeMountBuilder vm = new VolumeMountBuilder().withName(m.volumeName()).withMountPath(m.mountPath());
            if (m.source() instanceof MountSource.Claim c) {
                volumes.putIfAbsent(m.volumeName(), new VolumeBuilder().withName(m.volumeName())
                        .withNewPersistentVolumeClaim(c.claimName(), false).build());
            } else if (m.source() instanceof MountSource.EmptyDir) {
                volumes.putIfAbsent(m.volumeName(), new VolumeBuilder().withName(m.volumeName()).withNewEmptyDir().endEmptyDir().build());
            } else if (m.source() instanceof MountSource.ConfigMapFiles cm) {
                applyConfigMap(cm);
                volumes.putIfAbsent(m.volumeName(), new VolumeBuilder().withName(m.volumeName())
                        .withNewConfigMap().withName(cm.configMap()).withDefaultMode(cm.mode()).endConfigMap().build());
                if (cm.singleFile()) {
                    vm.withSubPath(cm.files().keySet().iterator().next());
                }
            }
            mounts.add(vm.build());
        }
        ContainerBuilder c = new ContainerBuilder().withName(plan.containerName()).withImage(image(plan))
                .withEnvFrom(new EnvFromSourceBuilder().withNewSecretRef().withName(secret).endSecretRef().build())
                .withVolumeMounts(mounts);
        if (cluster.offlineImages()) {
            c.withImagePullPolicy("Never");
        }
        if (!plan.command().isEmpty()) {
            c.withCommand(plan.command());
        }
        if (!plan.args().isEmpty()) {
            c.withArgs(plan.args());
        }
        // Its resources as written: a limit is what the reader's container gets (the kernel kills a server that passes
        // its memory limit), a request what the scheduler must find on a node.
        if (!plan.resources().isEmpty()) {
            c.withResources(plan.resources().requirements());
        }
        if (server) {
            c.addNewPort().withContainerPort(Probes.POSTGRES_PORT).withName("postgresql").endPort();
            List<String> probe = Probes.readiness(plan);
            // Every 2 s, not 1: each exec probe costs the node about 46 ms of CPU (runc exec), and a full run keeps a
            // dozen servers up, so that at 1 s their probes alone took a quarter of this machine's two cores.
            c.withReadinessProbe(new ProbeBuilder().withNewExec().withCommand(probe).endExec()
                    .withPeriodSeconds(PROBE_PERIOD_S).withTimeoutSeconds(5).withFailureThreshold(3).withSuccessThreshold(1)
                    .build());
            adapt.accept("The readiness probe's command runs as written, every " + PROBE_PERIOD_S + " s from the start (its "
                    + "manifest timings would only slow the run).");
            // The livenessProbe as written, timings included: the kubelet restarts the container as it would in production.
            plan.liveness().ifPresent(l -> c.withLivenessProbe(new ProbeBuilder().withNewExec().withCommand(l.command()).endExec()
                    .withInitialDelaySeconds(l.initialDelaySeconds()).withPeriodSeconds(l.periodSeconds())
                    .withTimeoutSeconds(l.timeoutSeconds()).withFailureThreshold(l.failureThreshold()).build()));
        }
        return c.build();
    }

    /** {@code oc apply} of a ConfigMap, with the keys this mount shows (merged with those already applied). */
    private void applyConfigMap(MountSource.ConfigMapFiles cm) {
        Map<String, String> data = new LinkedHashMap<>();
        ConfigMap existing = client.configMaps().inNamespace(namespace).withName(cm.configMap()).get();
        if (existing != null && existing.getData() != null) {
            data.putAll(existing.getData());
        }
        cm.files().forEach((k, v) -> data.put(k, HbaCidrs.isHbaFile(k) ? networkCidr(cm.configMap(), k, v) : v));
        client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
                .withName(cm.configMap()).withLabels(own).endMetadata().withData(data).build()).createOr(NonDeletingOperation::update);
    }

    /** This cluster's pod network, which the ConfigMaps' pg_hba.conf get in place of the guide's CIDR. */
    Optional<String> podNetwork() {
        return podCidr;
    }

    private String networkCidr(String configMap, String key, String text) {
        return podCidr.map(cidr -> HbaCidrs.replace(text, cidr, (from, to) -> adapt.accept("ConfigMap `" + configMap
                + "`, key `" + key + "`: pod network CIDR `" + from + "` → `" + to + "`, this cluster's pod network.")))
                .orElse(text);
    }

    private Optional<String> nodePodCidr() {
        return ClusterStanding.nodes(client).flatMap(all -> all.stream().map(n -> n.getSpec().getPodCIDR()).filter(c -> c != null && !c.isBlank())
                .findFirst());
    }

    /**
     * Whether a node holds {@code image}; true, unchecked, where the nodes cannot be listed (a tenant's credentials): the
     * pod then says it, as ErrImageNeverPull.
     */
    private boolean onANode(String image) {
        Optional<List<Node>> all = ClusterStanding.nodes(client);
        if (all.isEmpty()) {
            adapt.accept("The nodes' images are not listed before a pod starts: the run's credentials may not list nodes "
                    + "(a tenant's); a missing offline image shows as the pod's ErrImageNeverPull.");
            return true;
        }
        return all.get().stream().map(Node::getStatus).flatMap(s -> s.getImages() == null ? Stream.empty() : s.getImages().stream())
                .anyMatch(i -> i.getNames() != null && i.getNames().contains(image));
    }

    /**
     * The image a pod runs. On the offline cluster, the guide's {@code postgres:<major>} is the project's image built
     * offline from Debian and imported into the cluster's containerd; elsewhere the manifests' own image.
     */
    private String image(ContainerPlan plan) {
        return image(plan.image(), plan.imageMajor(), plan.source().toString());
    }

    /**
     * What this cluster runs for {@code image} as a manifest or a guide's line ({@code source}) names it: on the offline
     * cluster its stand-in (never pulled), elsewhere the image itself.
     */
    String image(String image, Optional<Integer> imageMajor, String source) {
        String repository = image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
        boolean postgres = repository.equals("postgres") || repository.equals("docker.io/library/postgres");
        boolean sclorg = ImageContract.find(image).filter(ImageContract.SCLORG::equals).isPresent();
        if (cluster.offlineImages() && sclorg) {
            return sclorgStandIn(image, imageMajor, source);
        }
        if (!cluster.offlineImages() || !postgres) {
            imageDescription = "image " + image + " (as the manifests name it)";
            return image;
        }
        int major = settings.pgMajor().orElseGet(() -> imageMajor.orElseThrow(() -> new IllegalStateException(
                source + ": image " + image + " names no PostgreSQL major; set harness.pg.major")));
        String offline = "docker.io/" + settings.offlineImageRepository() + ":" + major;
        boolean present = onANode(offline);
        if (!present) {
            throw new IllegalStateException("the offline cluster's containerd has no image " + offline + ": build it with "
                    + "`images/build-postgres-image.sh " + major + "` and restart the cluster with PGRH_K8S_PG_MAJORS=\""
                    + major + "\" k8s/offline/start.sh (it imports the Docker image)");
        }
        imageDescription = "image " + offline + ", built offline from Debian, imported into the cluster's containerd";
        adapt.accept("Image `" + image + "` → `" + offline + "` (imagePullPolicy Never): no registry is reachable; built "
                + "offline from Debian by images/build-postgres-image.sh and imported into the offline cluster's containerd.");
        return offline;
    }


    /** The sclorg image of the template's master, on the offline cluster: its stand-in, imported into containerd. */
    private String sclorgStandIn(String image, Optional<Integer> imageMajor, String source) {
        int major = imageMajor.orElseThrow(() -> new IllegalStateException(source + ": image " + image
                + " names no PostgreSQL major"));
        String standIn = "docker.io/" + ImageContract.SCLORG_STAND_IN + ":" + major;
        boolean present = onANode(standIn);
        if (!present) {
            throw new IllegalStateException("the offline cluster's containerd has no image " + standIn + ": build it with "
                    + "`images/build-sclorg-image.sh " + major + "` and restart the cluster (k8s/offline/start.sh imports it)");
        }
        imageDescription = "image " + standIn + ", the sclorg image's stand-in built offline from Debian, imported into the "
                + "cluster's containerd";
        adapt.accept("Image `" + image + "` → `" + standIn + "` (imagePullPolicy Never): no registry is reachable; the "
                + "sclorg image's offline stand-in (images/build-sclorg-image.sh), which keeps images/sclorg-postgresql/CONTRACT.md "
                + "and is not the real image.");
        return standIn;
    }
}

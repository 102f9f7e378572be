package io.github.pgreplication.harness.backend.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.github.pgreplication.harness.backend.Adaptations;
import io.github.pgreplication.harness.backend.Backend;
import io.github.pgreplication.harness.backend.BackendDescription;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.backend.Endpoint;
import io.github.pgreplication.harness.backend.HbaCidrs;
import io.github.pgreplication.harness.backend.PodNames;
import io.github.pgreplication.harness.backend.Pods;
import io.github.pgreplication.harness.backend.PostgresPod;
import io.github.pgreplication.harness.backend.Probes;
import io.github.pgreplication.harness.backend.RunIds;
import io.github.pgreplication.harness.backend.ServiceRoutes;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.DeploymentPlan;
import io.github.pgreplication.harness.guide.JobPlan;
import io.github.pgreplication.harness.guide.MountPlan;
import io.github.pgreplication.harness.guide.MountSource;
import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.run.Secrets;
import io.github.pgreplication.harness.run.Waits;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The guide's pods on a real Kubernetes cluster, through fabric8's client: per backend instance (per pair) a
 * fresh namespace labelled with the run; PersistentVolumeClaims for the claims (the cluster's default
 * StorageClass provisions them: the offline cluster's is the hostPath provisioner); the ConfigMaps and
 * Services applied as such; each pod created from its container plan with its readiness probe, and ready when
 * its Ready condition says so; {@code oc exec} as the API's exec; init containers and Jobs run as pods with
 * restartPolicy Never, keeping exit code and log; deleting or killing a pod is a Kubernetes deletion (with the
 * pod's grace period, or 0). The harness reaches a server through a port-forward on a free port of 127.0.0.1.
 * Closing deletes the namespace; a later run deletes the namespaces a killed JVM left.
 */
public final class KubernetesBackend implements Backend {

    private static final int POSTGRES_PORT = Probes.POSTGRES_PORT;
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    /** How long a node may take to create a container and start it (image present, claims bound). */
    private static final Duration CONTAINER_START = Duration.ofSeconds(60);
    private static final int PROBE_PERIOD_S = 2;

    private final HarnessSettings settings;
    private final Cluster cluster;
    private final KubernetesClient client;
    private final ResourceManager resources;
    private final String namespace;
    private final Map<String, String> runLabels;
    private final ServiceRoutes services = new ServiceRoutes();
    private final Pods<KubePod> pods = new Pods<>();
    private final PodNames podNames = new PodNames();
    private final Waits waits;
    private final Adaptations adaptations = new Adaptations();
    /** The logs of pods already gone (init containers, Jobs, deleted pods), kept for the failure evidence. */
    private final Map<String, String> finishedLogs = new LinkedHashMap<>();
    private final Set<String> routed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile String serverVersion;
    private volatile String imageDescription = "no image yet";
    private final Optional<String> podCidr;
    private final boolean openshift;
    private KubectlShell shell;

    /** What keeps this backend from running here (the cluster's source, its kubeconfig, its API); empty when nothing. */
    public static java.util.List<String> preflight(HarnessSettings settings) {
        return Cluster.preflight(settings);
    }

    public KubernetesBackend(HarnessSettings settings, ResourceManager runResources, Waits waits) {
        this.settings = settings;
        this.waits = waits;
        this.cluster = Cluster.of(settings);
        this.client = cluster.client();
        Namespaces.sweepOrphans(client);
        String runId = RunIds.next();
        this.namespace = runId;
        this.resources = runResources.child("kubernetes backend " + runId);
        this.runLabels = Namespaces.labels(runId);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).withLabels(runLabels)
                .endMetadata().build()).create();
        resources.track("namespace " + namespace, this::deleteNamespace);
        this.podCidr = cluster.podCidr().or(this::nodePodCidr);
        adapt("Each pair runs in a namespace of its own, created for the run and deleted at its end (kubernetes, "
                + cluster.kind() + " cluster).");
        adapt("`oc` → the Kubernetes API through fabric8's client: `oc exec` is the API's exec, `oc apply` a create, "
                + "`oc delete pod` a deletion with the pod's grace period.");
        adapt("The harness reaches each server through a port-forward of the API server on a free port of 127.0.0.1: "
                + "inside the pod its connections come from 127.0.0.1, so the pg_hba.conf lines for 127.0.0.1 apply to "
                + "them (on the replica, the initdb default copied by pg_basebackup: trust).");
        this.openshift = client.getApiGroups().getGroups().stream().anyMatch(g -> "apps.openshift.io".equals(g.getName()));
        adapt(openshift
                ? "The cluster serves apps.openshift.io, but the harness plays each rollout of the DeploymentConfig "
                        + "itself: its pod template runs as a Pod (old pod deleted, new pod created)."
                : "DeploymentConfig (apps.openshift.io, not served by this cluster) and Deployment → their pod "
                        + "template run as a Pod; each rollout is played as the old pod deleted, then the new pod created.");
    }

    String namespace() {
        return namespace;
    }

    @Override
    public BackendDescription description() {
        return new BackendDescription("kubernetes", serverVersion == null ? "?" : serverVersion,
                clusterRuntime() + " through fabric8 kubernetes-client", cluster.details());
    }

    private volatile String clusterRuntime;

    /** The cluster behind every figure: its version, kind, kubelet and container runtime (asked once). */
    private String clusterRuntime() {
        if (clusterRuntime == null) {
            try {
                String version = client.getKubernetesVersion().getGitVersion();
                String node = client.nodes().list().getItems().stream().findFirst().map(n -> n.getStatus().getNodeInfo())
                        .map(i -> "kubelet " + i.getKubeletVersion() + ", " + i.getContainerRuntimeVersion()).orElse("no node");
                clusterRuntime = "Kubernetes " + version + " (" + cluster.kind() + " cluster; " + node + ")";
            } catch (KubernetesClientException e) {
                return "Kubernetes (" + cluster.kind() + " cluster, unreachable: " + e.getMessage() + ")";
            }
        }
        return clusterRuntime;
    }

    private void open() {
        resources.requireOpen();
    }

    // ----- claims -------------------------------------------------------------------------------------------

    @Override
    public void claim(String claimName) {
        open();
        if (client.persistentVolumeClaims().inNamespace(namespace).withName(claimName).get() != null) {
            return;
        }
        client.persistentVolumeClaims().inNamespace(namespace).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(claimName).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).create();
        adapt("PersistentVolumeClaim `" + claimName + "` → a claim of 1Gi provisioned by the cluster's default StorageClass"
                + (cluster.offlineImages() ? " (the offline cluster's hostPath provisioner)" : "") + ".");
    }

    @Override
    public void deleteClaim(String claimName) {
        pods.refuseDeletingMounted(claimName);
        client.persistentVolumeClaims().inNamespace(namespace).withName(claimName).delete();
        await("PersistentVolumeClaim " + claimName + " deleted", Duration.ofSeconds(60),
                () -> client.persistentVolumeClaims().inNamespace(namespace).withName(claimName).get() == null,
                () -> events(10));
    }

    // ----- pods ---------------------------------------------------------------------------------------------

    @Override
    public PostgresPod startPod(ContainerPlan plan, Duration readyWithin) {
        open();
        String name = podNames.next(plan);
        KubePod pod = track(new KubePod(name, plan, this));
        client.pods().inNamespace(namespace).resource(podSpec(name, plan, true)).create();
        Duration limit = waits.scaled(readyWithin);
        try {
            // Readiness is the server's to reach from its container's start: a loaded node may first take a while to
            // mount the claims and create the container (one took 20 s to sync the pod's token Secret).
            await("pod " + name + "'s container started", CONTAINER_START, () -> started(name), () -> status(name));
            await("pod " + name + " Ready (its readiness probe passes)", readyWithin, () -> ready(name), () -> status(name));
            await("pod " + name + " accepts TCP connections on port " + POSTGRES_PORT, readyWithin,
                    () -> ready(name) && execQuiet(name, plan, Probes.ACCEPTS_TCP) == 0, () -> status(name));
        } catch (ConditionTimeoutException e) {
            String logs = logTail(pod, 40);
            release(pod);
            throw new IllegalStateException(name + " did not become ready within " + limit.toMillis() + " ms of its "
                    + "container's start (given " + CONTAINER_START.toSeconds() + " s to start): "
                    + Secrets.redact(String.valueOf(e.getMessage())) + "\n" + logs, e);
        }
        pod.running(true);
        pods.add(pod);
        if (serverVersion == null) {
            serverVersion = "PostgreSQL " + execQuietOutput(name, plan, List.of("postgres", "--version")).trim()
                    .replace("postgres (PostgreSQL) ", "") + " (" + imageDescription + ")";
        }
        return pod;
    }

    /** An init container or a Job's pod: a Pod with restartPolicy Never, awaited to Succeeded or Failed. */
    @Override
    public ContainerResult runToCompletion(ContainerPlan plan, Duration timeout) {
        open();
        String name = podNames.next(plan);
        adapt("An init container (or a Job's pod) → a Pod of its own with restartPolicy Never, on the same claims and "
                + "ConfigMaps, run before the main container's Pod; its exit code and log are kept.");
        KubePod pod = track(new KubePod(name, plan, this));
        long start = System.nanoTime();
        client.pods().inNamespace(namespace).resource(podSpec(name, plan, false)).create();
        Duration limit = waits.scaled(timeout);
        boolean timedOut = false;
        try {
            // The timeout is the container's, as it is for an init container: the clock starts when it runs, not
            // while a loaded node is still creating it.
            await("pod " + name + "'s container started", CONTAINER_START, () -> started(name), () -> status(name));
            await("pod " + name + " ran to completion", timeout, () -> {
                Pod p = client.pods().inNamespace(namespace).withName(name).get();
                return p != null && p.getStatus() != null
                        && ("Succeeded".equals(p.getStatus().getPhase()) || "Failed".equals(p.getStatus().getPhase()));
            }, () -> status(name));
        } catch (ConditionTimeoutException e) {
            timedOut = true;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Pod p = client.pods().inNamespace(namespace).withName(name).get();
        Integer exit = p == null || p.getStatus() == null ? null : p.getStatus().getContainerStatuses().stream()
                .filter(s -> s.getState() != null && s.getState().getTerminated() != null)
                .map(s -> s.getState().getTerminated().getExitCode()).findFirst().orElse(null);
        String output = podLog(name);
        if (timedOut) {
            output = output + "\n(still running or not started after " + limit.toMillis() + " ms: " + status(name) + ")";
        }
        output = Secrets.redact(output);
        synchronized (finishedLogs) {
            finishedLogs.put(name + " (run to completion, exit " + exit + ")", output);
        }
        release(pod);
        return new ContainerResult(name, exit == null ? -1 : exit, output, took, timedOut || exit == null);
    }

    /**
     * A CronJob run once as {@code kubectl create job --from=cronjob/NAME} runs it ({@link CronJobRuns}): a Job whose
     * pod runs under the template's ServiceAccount; when the cluster refuses that pod, the result is unsucceeded at
     * once and its output is the cluster's reason.
     */
    @Override
    public ContainerResult runCronJobOnce(JobPlan job, Duration timeout) {
        open();
        String name = podNames.next(job.container());
        CronJobRuns cronJobs = new CronJobRuns(client, namespace);
        PodTemplateSpec template = CronJobRuns.template(podSpec(name, job.container(), false), job);
        String version = cronJobs.servedVersion();
        Map<String, String> labels = Map.of(Namespaces.RUN, namespace);
        String uid = cronJobs.apply(job, template, version, labels);
        adapt("CronJob `" + job.cronJobName() + "` → applied with `suspend: true`, so that its schedule `" + job.schedule()
                + "` starts no Job during the run; each run of it is a Job made from its jobTemplate and owned by it, as "
                + "`kubectl create job --from=cronjob/" + job.cronJobName() + "` makes one.");
        if (!"batch/v1".equals(version)) {
            adapt("CronJob `" + job.cronJobName() + "`: apiVersion batch/v1 → " + version + ", the version this cluster "
                    + "serves (" + clusterRuntime() + ").");
        }
        long start = System.nanoTime();
        cronJobs.createJob(name, job, template, version, uid, labels);
        boolean timedOut = false;
        Optional<String> refused = Optional.empty();
        try {
            await("Job " + name + "'s pod started (or refused by the cluster)", CONTAINER_START,
                    () -> cronJobs.refusal(name).isPresent()
                            || cronJobs.pods(name).stream().anyMatch(p -> started(p.getMetadata().getName())),
                    () -> cronJobs.status(name) + "; " + events(8));
            refused = cronJobs.pods(name).isEmpty() ? cronJobs.refusal(name) : Optional.empty();
            if (refused.isEmpty()) {
                await("Job " + name + " Complete or Failed", timeout, () -> cronJobs.ended(name).isPresent(),
                        () -> cronJobs.status(name));
            }
        } catch (ConditionTimeoutException e) {
            timedOut = true;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        List<Pod> jobPods = cronJobs.pods(name);
        Pod last = jobPods.isEmpty() ? null : jobPods.get(jobPods.size() - 1);
        Integer exit = last == null || last.getStatus() == null || last.getStatus().getContainerStatuses() == null ? null
                : last.getStatus().getContainerStatuses().stream().map(cs -> cs.getState() != null
                        && cs.getState().getTerminated() != null ? cs.getState().getTerminated()
                        : cs.getLastState() == null ? null : cs.getLastState().getTerminated())
                        .filter(java.util.Objects::nonNull).map(t -> t.getExitCode()).findFirst().orElse(null);
        String output = refused.map(r -> "the cluster created no pod for Job " + name + ": " + r)
                .orElseGet(() -> last == null ? "(Job " + name + " has no pod: " + cronJobs.status(name) + ")"
                        : podLog(last.getMetadata().getName()));
        if (timedOut) {
            output = output + "\n(not ended after " + waits.scaled(timeout).toMillis() + " ms: " + cronJobs.status(name) + ")";
        }
        output = Secrets.redact(output);
        synchronized (finishedLogs) {
            finishedLogs.put(name + " (Job of CronJob " + job.cronJobName() + ", exit " + exit + ")", output);
        }
        return new ContainerResult(name, exit == null ? -1 : exit, output, took, timedOut || (exit == null && refused.isEmpty()));
    }

    /** Whether the pod's container has started (it runs, or has already ended). */
    private boolean started(String name) {
        Pod p = client.pods().inNamespace(namespace).withName(name).get();
        return p != null && p.getStatus() != null && p.getStatus().getContainerStatuses() != null
                && p.getStatus().getContainerStatuses().stream().anyMatch(s -> s.getState() != null
                        && (s.getState().getRunning() != null || s.getState().getTerminated() != null));
    }

    /** {@code oc exec}: the API's exec in the pod's container, as the image's user; extra env through {@code env}. */
    @Override
    public ContainerResult exec(PostgresPod p, List<String> command, Map<String, String> extraEnv, Duration timeout) {
        KubePod pod = (KubePod) p;
        List<String> cmd = new ArrayList<>();
        if (!extraEnv.isEmpty()) {
            cmd.add("env");
            extraEnv.forEach((k, v) -> cmd.add(k + "=" + v));
        }
        cmd.addAll(command);
        long start = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Integer exit = null;
        boolean timedOut = false;
        try (ExecWatch w = client.pods().inNamespace(namespace).withName(pod.name()).inContainer(pod.plan().containerName())
                .writingOutput(out).writingError(out).exec(cmd.toArray(String[]::new))) {
            exit = w.exitCode().get(waits.scaled(timeout).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            timedOut = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            timedOut = true;
        } catch (ExecutionException e) {
            throw new IllegalStateException("exec in pod " + pod.name() + " failed: " + e.getCause().getMessage(), e);
        }
        String output;
        synchronized (out) {
            output = Secrets.redact(out.toString(StandardCharsets.UTF_8));
        }
        return new ContainerResult(pod.name() + " exec " + String.join(" ", command), exit == null ? -1 : exit, output,
                Duration.ofNanos(System.nanoTime() - start), timedOut);
    }

    private int execQuiet(String pod, ContainerPlan plan, List<String> command) {
        try (ExecWatch w = client.pods().inNamespace(namespace).withName(pod).inContainer(plan.containerName())
                .writingOutput(OutputSink.INSTANCE).writingError(OutputSink.INSTANCE).exec(command.toArray(String[]::new))) {
            Integer exit = w.exitCode().get(10, TimeUnit.SECONDS);
            return exit == null ? -1 : exit;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (ExecutionException | TimeoutException | KubernetesClientException e) {
            return -1;
        }
    }

    private String execQuietOutput(String pod, ContainerPlan plan, List<String> command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ExecWatch w = client.pods().inNamespace(namespace).withName(pod).inContainer(plan.containerName())
                .writingOutput(out).writingError(out).exec(command.toArray(String[]::new))) {
            w.exitCode().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | KubernetesClientException e) {
            return "?";
        }
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** {@code oc delete pod}: the kubelet sends the image's stop signal, waits the grace period, and the pod is gone. */
    @Override
    public void deletePod(PostgresPod p) {
        KubePod pod = (KubePod) p;
        keepLog(pod);
        pod.running(false);
        pods.remove(pod);
        deleteAndAwait(pod.name(), STOP_GRACE.toSeconds());
        resources.releaseNow(pod.releaser);
    }

    /** A node failure: the pod deleted with a grace period of 0, so the kubelet kills its containers at once. */
    @Override
    public void killPod(PostgresPod p) {
        KubePod pod = (KubePod) p;
        adapt("A killed pod (a node failure) → `oc delete pod --grace-period=0`: the kubelet kills its containers at once.");
        keepLog(pod);
        pod.running(false);
        pods.remove(pod);
        deleteAndAwait(pod.name(), 0);
        resources.releaseNow(pod.releaser);
    }

    private void deleteAndAwait(String name, long graceSeconds) {
        client.pods().inNamespace(namespace).withName(name).withGracePeriod(graceSeconds).delete();
        await("pod " + name + " gone", Duration.ofSeconds(graceSeconds + 60),
                () -> client.pods().inNamespace(namespace).withName(name).get() == null, () -> status(name));
        client.secrets().inNamespace(namespace).withName(name + "-env").delete();
    }

    /** Removes a pod now and forgets it. */
    private void release(KubePod pod) {
        pod.running(false);
        pods.remove(pod);
        resources.releaseNow(pod.releaser);
    }

    private KubePod track(KubePod pod) {
        pod.releaser = () -> {
            pod.running(false);
            try {
                client.pods().inNamespace(namespace).withName(pod.name()).withGracePeriod(0).delete();
                client.secrets().inNamespace(namespace).withName(pod.name() + "-env").delete();
            } catch (KubernetesClientException e) {
                // the namespace goes with everything in it at the end anyway
            }
        };
        resources.track("pod " + pod.name(), pod.releaser);
        return pod;
    }

    LocalPortForward portForward(String pod) {
        return client.pods().inNamespace(namespace).withName(pod).portForward(POSTGRES_PORT, InetAddress.getLoopbackAddress(), 0);
    }

    // ----- services -----------------------------------------------------------------------------------------

    /** {@code oc apply -f} of the Service, in the run's namespace (its clusterIP left to the cluster). */
    @Override
    public void applyService(Service service) {
        open();
        Service s = new ServiceBuilder(service).editMetadata().withNamespace(namespace).withResourceVersion(null)
                .withUid(null).endMetadata().editSpec().withClusterIP(null).withClusterIPs((List<String>) null).endSpec().build();
        client.services().inNamespace(namespace).resource(s).createOr(NonDeletingOperation::update);
        services.apply(service);
    }

    @Override
    public void deleteService(String serviceName) {
        client.services().inNamespace(namespace).withName(serviceName).delete();
        services.delete(serviceName);
    }

    /**
     * A Service's endpoint: the running pod its selector picks, once the cluster's Endpoints for that Service list
     * the pod (the real routing), reached through the pod's port-forward.
     */
    @Override
    public Endpoint service(String serviceName) {
        KubePod pod = services.pod(serviceName, pods.all());
        if (routed.add(serviceName + "/" + pod.name())) {
            await("Service " + serviceName + "'s Endpoints list pod " + pod.name(), Duration.ofSeconds(30),
                    () -> endpointPods(serviceName).contains(pod.name()),
                    () -> "Endpoints of " + serviceName + ": " + endpointPods(serviceName));
        }
        return pod.endpoint();
    }

    private List<String> endpointPods(String serviceName) {
        Endpoints e = client.endpoints().inNamespace(namespace).withName(serviceName).get();
        if (e == null || e.getSubsets() == null) {
            return List.of();
        }
        return e.getSubsets().stream().flatMap(s -> s.getAddresses() == null ? java.util.stream.Stream.<EndpointAddress>empty()
                        : s.getAddresses().stream())
                .map(a -> a.getTargetRef() == null ? a.getIp() : a.getTargetRef().getName()).toList();
    }

    /** {@code oc apply} of one of the manifests' Secrets, with this run's values: the guide's objects, by their names. */
    @Override
    public void applySecret(String secretName, Map<String, String> stringData) {
        open();
        client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(secretName)
                .endMetadata().withStringData(stringData).build()).createOr(NonDeletingOperation::update);
    }

    /**
     * {@code oc apply -f} of a Deployment (apps/v1), run by the cluster's controller: its init containers and
     * containers as {@link #container} makes them, its strategy as the manifest gives it (none: the cluster's
     * default), its claims and ConfigMaps in place. The harness does not track its pods: the controller owns them.
     */
    @Override
    public void applyDeployment(DeploymentPlan deployment) {
        open();
        Map<String, Volume> volumes = new LinkedHashMap<>();
        List<io.fabric8.kubernetes.api.model.Container> inits = new ArrayList<>();
        for (ContainerPlan p : deployment.initContainers()) {
            inits.add(container(deployment.name() + "-" + p.containerName() + "-env", p, false, volumes));
        }
        List<io.fabric8.kubernetes.api.model.Container> mains = new ArrayList<>();
        for (ContainerPlan p : deployment.containers()) {
            mains.add(container(deployment.name() + "-" + p.containerName() + "-env", p, mains.isEmpty(), volumes));
        }
        Map<String, String> labels = new LinkedHashMap<>(deployment.containers().get(0).podLabels());
        labels.put(Namespaces.RUN, namespace);
        io.fabric8.kubernetes.api.model.apps.DeploymentBuilder d = new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                .withNewMetadata().withName(deployment.name()).withLabels(Map.of(Namespaces.RUN, namespace)).endMetadata()
                .withNewSpec().withReplicas(deployment.replicas()).withNewSelector().withMatchLabels(deployment.selector())
                .endSelector().withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withNewSpec()
                .withTerminationGracePeriodSeconds(STOP_GRACE.toSeconds()).withInitContainers(inits).withContainers(mains)
                .withVolumes(new ArrayList<>(volumes.values())).endSpec().endTemplate().endSpec();
        deployment.strategyType().ifPresent(t -> d.editSpec().withNewStrategy().withType(t).endStrategy().endSpec());
        client.apps().deployments().inNamespace(namespace).resource(d.build()).createOr(NonDeletingOperation::update);
        adapt("Deployment `" + deployment.name() + "` (in the @cluster scenarios that need its controller) → applied as "
                + "apps/v1 with its pod template as the harness runs pods (env through a Secret, the image, the readiness "
                + "probe every second); its strategy " + deployment.strategyType().map(t -> "`" + t + "`")
                .orElse("absent, so the cluster's default (RollingUpdate, maxSurge 25 %, maxUnavailable 25 %)") + ".");
    }

    // ----- what a pod is made of ----------------------------------------------------------------------------

    private Pod podSpec(String name, ContainerPlan plan, boolean server) {
        Map<String, Volume> volumes = new LinkedHashMap<>();
        io.fabric8.kubernetes.api.model.Container c = container(name + "-env", plan, server, volumes);
        Map<String, String> labels = new LinkedHashMap<>(plan.podLabels());
        labels.put(Namespaces.RUN, namespace);
        return new PodBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withRestartPolicy(server ? "Always" : "Never")
                .withTerminationGracePeriodSeconds(STOP_GRACE.toSeconds())
                .withContainers(c).withVolumes(new ArrayList<>(volumes.values())).endSpec().build();
    }

    /**
     * One container of a pod: its env through a Secret of its own ({@code secret}), its mounts (the volumes they need
     * added to {@code volumes}, the ConfigMaps applied), the image this cluster runs; a server also gets its port and
     * the readiness probe its manifest gives, run every second.
     */
    private io.fabric8.kubernetes.api.model.Container container(String secret, ContainerPlan plan, boolean server,
                                                                Map<String, Volume> volumes) {
        client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(secret).endMetadata()
                .withStringData(plan.env()).build()).createOr(NonDeletingOperation::update);
        adapt("A container's env (its values and the secretKeyRefs resolved from the manifests' Secrets) → envFrom a "
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
        if (server) {
            c.addNewPort().withContainerPort(POSTGRES_PORT).withName("postgresql").endPort();
            List<String> probe = Probes.readiness(plan);
            // Every 2 s, not 1: each exec probe costs the node about 46 ms of CPU (runc exec), and a full run keeps a
            // dozen servers up, so that at 1 s their probes alone took a quarter of this machine's two cores.
            c.withReadinessProbe(new ProbeBuilder().withNewExec().withCommand(probe).endExec()
                    .withPeriodSeconds(PROBE_PERIOD_S).withTimeoutSeconds(5).withFailureThreshold(3).withSuccessThreshold(1)
                    .build());
            adapt("The readiness probe's command runs as written, every " + PROBE_PERIOD_S + " s from the start (its "
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
        cm.files().forEach((k, v) -> data.put(k, k.contains("hba") ? networkCidr(cm.configMap(), k, v) : v));
        client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
                .withName(cm.configMap()).endMetadata().withData(data).build()).createOr(NonDeletingOperation::update);
    }

    private String networkCidr(String configMap, String key, String text) {
        return podCidr.map(cidr -> HbaCidrs.replace(text, cidr, (from, to) -> adapt("ConfigMap `" + configMap + "`, key `"
                + key + "`: pod network CIDR `" + from + "` → `" + to + "`, this cluster's pod network."))).orElse(text);
    }

    private Optional<String> nodePodCidr() {
        return client.nodes().list().getItems().stream().map(n -> n.getSpec().getPodCIDR()).filter(c -> c != null && !c.isBlank())
                .findFirst();
    }

    /**
     * The image a pod runs. On the offline cluster, the guide's {@code postgres:<major>} is the project's image built
     * offline from Debian and imported into the cluster's containerd; elsewhere the manifests' own image.
     */
    private String image(ContainerPlan plan) {
        String image = plan.image();
        String repository = image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
        boolean postgres = repository.equals("postgres") || repository.equals("docker.io/library/postgres");
        if (!cluster.offlineImages() || !postgres) {
            imageDescription = "image " + image + " (as the manifests name it)";
            return image;
        }
        int major = settings.pgMajor().orElseGet(() -> plan.imageMajor().orElseThrow(() -> new IllegalStateException(
                plan.source() + ": image " + image + " names no PostgreSQL major; set harness.pg.major")));
        String offline = "docker.io/" + settings.offlineImageRepository() + ":" + major;
        boolean present = client.nodes().list().getItems().stream().map(Node::getStatus)
                .flatMap(s -> s.getImages() == null ? java.util.stream.Stream.empty() : s.getImages().stream())
                .anyMatch(i -> i.getNames() != null && i.getNames().contains(offline));
        if (!present) {
            throw new IllegalStateException("the offline cluster's containerd has no image " + offline + ": build it with "
                    + "`images/build-postgres-image.sh " + major + "` and restart the cluster with PGRH_K8S_PG_MAJORS=\""
                    + major + "\" k8s/offline/start.sh (it imports the Docker image)");
        }
        imageDescription = "image " + offline + ", built offline from Debian, imported into the cluster's containerd";
        adapt("Image `" + image + "` → `" + offline + "` (imagePullPolicy Never): no registry is reachable; built offline "
                + "from Debian by images/build-postgres-image.sh and imported into the offline cluster's containerd.");
        return offline;
    }

    private boolean ready(String name) {
        Pod p = client.pods().inNamespace(namespace).withName(name).get();
        if (p == null || p.getStatus() == null || p.getStatus().getConditions() == null) {
            return false;
        }
        return p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** A pod's phase, conditions and container states, and the namespace's last events, for a wait's last-seen line. */
    private String status(String name) {
        try {
            Pod p = client.pods().inNamespace(namespace).withName(name).get();
            if (p == null) {
                return "pod " + name + " does not exist; " + events(8);
            }
            StringBuilder s = new StringBuilder("pod " + name + " phase " + p.getStatus().getPhase());
            for (PodCondition c : Optional.ofNullable(p.getStatus().getConditions()).orElse(List.of())) {
                s.append(", ").append(c.getType()).append('=').append(c.getStatus());
            }
            for (ContainerStatus cs : Optional.ofNullable(p.getStatus().getContainerStatuses()).orElse(List.of())) {
                s.append("; container ").append(cs.getName()).append(" restarts ").append(cs.getRestartCount()).append(' ')
                        .append(cs.getState());
            }
            return s.append("; ").append(events(8)).toString();
        } catch (KubernetesClientException e) {
            return "pod " + name + ": " + e.getMessage();
        }
    }

    /** The namespace's events, oldest first, last {@code n}. */
    private String events(int n) {
        List<Event> all = new ArrayList<>(client.v1().events().inNamespace(namespace).list().getItems());
        all.sort(Comparator.comparing(e -> String.valueOf(e.getLastTimestamp() != null ? e.getLastTimestamp()
                : e.getEventTime() != null ? e.getEventTime().getTime() : "")));
        StringBuilder s = new StringBuilder("events of namespace " + namespace + ":");
        for (Event e : all.subList(Math.max(0, all.size() - n), all.size())) {
            s.append("\n  ").append(e.getLastTimestamp()).append(' ').append(e.getType()).append(' ')
                    .append(e.getInvolvedObject().getKind()).append('/').append(e.getInvolvedObject().getName()).append(' ')
                    .append(e.getReason()).append(": ").append(e.getMessage());
        }
        return s.toString();
    }

    private String podLog(String name) {
        try {
            String log = client.pods().inNamespace(namespace).withName(name).getLog();
            return log == null ? "" : log;
        } catch (KubernetesClientException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Whether the pod's container output ({@code kubectl logs}) holds a text; only a yes or no leaves here. */
    boolean containerLogContains(KubePod pod, String text) {
        return podLog(pod.name()).contains(text);
    }

    private void keepLog(KubePod pod) {
        String log = Secrets.redact(podLog(pod.name()));
        synchronized (finishedLogs) {
            finishedLogs.put(pod.name() + " (deleted)", log);
        }
    }

    /**
     * A pod's log for a failure report: its container's output and the server's own log file while it runs, then
     * the evidence of the whole namespace (its events, and the log of every container that ran in it, init
     * containers included), also written under {@code <reports>/kubernetes/<namespace>/}.
     */
    String logTail(KubePod pod, int lines) {
        StringBuilder out = new StringBuilder("== " + pod.name() + ": container output (last " + lines + " lines)\n");
        String log;
        synchronized (finishedLogs) {
            log = finishedLogs.entrySet().stream().filter(e -> e.getKey().startsWith(pod.name() + " ")).map(Map.Entry::getValue)
                    .reduce((a, b) -> b).orElse(null);
        }
        if (log == null || pod.isRunning()) {
            log = podLog(pod.name());
        }
        out.append(tail(log, lines));
        if (pod.isRunning()) {
            out.append("\n== ").append(pod.name()).append(": server log file (last ").append(lines).append(" lines)\n")
                    .append(execQuietOutput(pod.name(), pod.plan(), Probes.serverLogTail(lines)));
        }
        try {
            out.append("\n== ").append(events(40));
        } catch (KubernetesClientException e) {
            out.append("\n== no events: ").append(e.getMessage());
        }
        String text = Secrets.redact(out.toString());
        writeEvidence();
        return text;
    }

    /** The namespace's last events, and its events and every container's log saved beside the report. */
    @Override
    public String failureEvidence() {
        writeEvidence();
        String events;
        try {
            events = events(20);
        } catch (KubernetesClientException e) {
            events = "no events: " + e.getMessage();
        }
        return Secrets.redact("\n--- " + events + "\n(the namespace's events and every container's log, init "
                + "containers included, are saved under " + evidenceDir() + ")");
    }

    private Path evidenceDir() {
        return settings.reportsDir().resolve("kubernetes").resolve(namespace);
    }

    /** The namespace's events and every container's log, saved beside the report. */
    void writeEvidence() {
        try {
            Path dir = evidenceDir();
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("events.txt"), Secrets.redact(events(1000)));
            Map<String, String> logs;
            synchronized (finishedLogs) {
                logs = new LinkedHashMap<>(finishedLogs);
            }
            for (KubePod p : pods.all()) {
                logs.put(p.name() + " (running)", Secrets.redact(podLog(p.name())));
            }
            for (Map.Entry<String, String> e : logs.entrySet()) {
                Files.writeString(dir.resolve(e.getKey().replaceAll("[^A-Za-z0-9.-]+", "_") + ".log"), e.getValue());
            }
        } catch (IOException | RuntimeException e) {
            // evidence is best effort: the failure itself is reported by the scenario
        }
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    /**
     * A named wait of the run's {@link Waits} (its one timeout scale), polling every 200 ms; an API error counts as
     * "not yet" and the last one is shown with what was last seen. Throws ConditionTimeoutException on timeout.
     */
    private void await(String what, Duration within, java.util.concurrent.Callable<Boolean> condition,
                       java.util.function.Supplier<String> lastSeen) {
        AtomicReference<Throwable> last = new AtomicReference<>();
        try {
            waits.until(what, within, Duration.ofMillis(200), () -> {
                try {
                    return condition.call();
                } catch (KubernetesClientException e) {
                    last.set(e);
                    return false;
                }
            }, () -> lastSeen.get() + (last.get() == null ? "" : "; last error: " + last.get().getMessage()));
        } catch (AssertionError e) {
            throw new ConditionTimeoutException(e.getMessage());
        }
    }

    private void deleteNamespace() {
        pods.all().forEach(p -> p.running(false));
        client.namespaces().withName(namespace).delete();
        try {
            await("namespace " + namespace + " deleted", Duration.ofSeconds(120),
                    () -> client.namespaces().withName(namespace).get() == null, () -> "namespace still there");
        } catch (ConditionTimeoutException e) {
            // reported by the CI's check; the next run's sweep deletes it too
            org.slf4j.LoggerFactory.getLogger(KubernetesBackend.class).warn("{}", e.getMessage());
        }
    }

    /** The guide's {@code oc} commands: a bash where {@code oc} is the cluster's CLI, in this pair's namespace. */
    @Override
    public synchronized Optional<io.github.pgreplication.harness.backend.ClusterShell> clusterShell() {
        open();
        if (shell == null) {
            shell = resources.track("kubectl shell of " + namespace, new KubectlShell(cluster, namespace, openshift));
            adapt(shell.adaptation());
        }
        return Optional.of(shell);
    }

    @Override
    public List<String> adaptations() {
        return adaptations.all();
    }

    private void adapt(String a) {
        adaptations.add(a, namespace, "<namespace>");
    }

    @Override
    public void close() {
        resources.close();
    }

    /** Discards an exec's output (the readiness checks need only the exit code). */
    private static final class OutputSink extends java.io.OutputStream {
        static final OutputSink INSTANCE = new OutputSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}

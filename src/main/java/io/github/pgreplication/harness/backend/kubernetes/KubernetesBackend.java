package io.github.pgreplication.harness.backend.kubernetes;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.github.pgreplication.harness.backend.Adaptations;
import io.github.pgreplication.harness.backend.Backend;
import io.github.pgreplication.harness.backend.BackendDescription;
import io.github.pgreplication.harness.backend.ClusterImage;
import io.github.pgreplication.harness.backend.ClusterShell;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.backend.ContainerExited;
import io.github.pgreplication.harness.backend.Endpoint;
import io.github.pgreplication.harness.backend.PodNames;
import io.github.pgreplication.harness.backend.Pods;
import io.github.pgreplication.harness.backend.PostgresPod;
import io.github.pgreplication.harness.backend.Probes;
import io.github.pgreplication.harness.backend.RunIds;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.DeploymentPlan;
import io.github.pgreplication.harness.guide.JobPlan;
import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.run.Secrets;
import io.github.pgreplication.harness.run.Waits;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.LoggerFactory;

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

    private static final Duration CONTAINER_START = Controllers.CONTAINER_START;

    private final Cluster cluster;
    private final KubernetesClient client;
    private final ResourceManager resources;
    private final PairScope scope;
    private final String namespace;
    private final Pods<KubePod> pods = new Pods<>();
    private final PodNames podNames = new PodNames();
    private final Waits waits;
    private final Adaptations adaptations = new Adaptations();
    private final PodExec exec;
    private final ClusterEvidence evidence;
    private final PodStates states;
    private final PodSpecs specs;
    private final Controllers controllers;
    private final ClusterServices services;
    private volatile String serverVersion;
    private final ClusterStanding standing;
    private final boolean openshift;
    /** The cluster's DeploymentConfigs, where it serves them; null where it does not. */
    private final DeploymentConfigs deploymentConfigs;
    private final Set<String> configsMade = ConcurrentHashMap.newKeySet();
    private KubectlShell shell;

    /** What keeps this backend from running here (the cluster's source, its kubeconfig, its API); empty when nothing. */
    public static List<String> preflight(HarnessSettings settings) {
        return Cluster.preflight(settings);
    }

    public KubernetesBackend(HarnessSettings settings, ResourceManager runResources, Waits waits) {
        this.waits = waits;
        this.cluster = Cluster.of(settings);
        this.client = cluster.client();
        String pairId = RunIds.next();
        this.scope = settings.kubeNamespace().map(ns -> new PairScope(ns, pairId, Optional.of(TenantObjects.newSuffix())))
                .orElseGet(() -> new PairScope(pairId, pairId, Optional.empty()));
        this.namespace = scope.namespace();
        this.resources = runResources.child("kubernetes backend " + pairId);
        boolean servesConfigs = DeploymentConfigs.served(client);
        if (scope.shared()) {
            TenantObjects objects = new TenantObjects(client, scope, servesConfigs);
            objects.sweepOrphans();
            resources.track("pair " + pairId + "'s objects in namespace " + namespace, () -> {
                pods.all().forEach(p -> p.running(false));
                objects.deleteOwn(waits);
            });
        } else {
            Namespaces.sweepOrphans(client);
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                    .withLabels(scope.labels()).endMetadata().build()).create();
            resources.track("namespace " + namespace, this::deleteNamespace);
        }
        this.exec = new PodExec(client, namespace, waits);
        this.evidence = new ClusterEvidence(client, scope, exec);
        this.states = new PodStates(client, namespace, waits, evidence);
        this.standing = new ClusterStanding(cluster, scope);
        this.specs = new PodSpecs(settings, cluster, scope, this::adapt);
        this.services = new ClusterServices(client, scope, states);
        this.controllers = new Controllers(client, scope, specs, states, evidence, waits, this::adapt, standing::runtime);
        adapt(scope.shared()
                ? "Every pair runs in the namespace the run was given (harness.kube.namespace), as its tenant: the harness "
                        + "creates no namespace; each pair's manifests are renamed with a suffix of the pair's (each object "
                        + "name and every mention of it: `postgresql-slave` → `postgresql-slave<pair>`), so that pairs side by "
                        + "side never meet; its objects carry the run's labels, and only they and the names holding its "
                        + "suffix are deleted at its end (kubernetes, " + cluster.kind() + " cluster)."
                : "Each pair runs in a namespace of its own, created for the run and deleted at its end (kubernetes, "
                        + cluster.kind() + " cluster).");
        adapt("`oc` → the Kubernetes API through fabric8's client: `oc exec` is the API's exec, `oc apply` a create, "
                + "`oc delete pod` a deletion with the pod's grace period.");
        adapt("The harness reaches a Service through a port-forward of the API server on a free port of 127.0.0.1 to "
                + "the Service (as `kubectl port-forward svc/NAME 5432`): to the pod its Endpoints list, on the port "
                + "they give for the Service's port, its targetPort as the cluster resolved it; "
                + "inside the pod its connections come from 127.0.0.1, so the pg_hba.conf lines for 127.0.0.1 apply to "
                + "them (on the replica, the initdb default copied by pg_basebackup: trust).");
        this.openshift = client.getApiGroups().getGroups().stream().anyMatch(g -> "apps.openshift.io".equals(g.getName()));
        this.deploymentConfigs = servesConfigs ? new DeploymentConfigs(client, scope) : null;
        adapt(deploymentConfigs != null
                ? "The master's DeploymentConfig is applied as such (apps.openshift.io/v1" + ("offline".equals(cluster.kind())
                        ? ", served by the offline cluster's custom resource and controller, k8s/offline/deploymentconfigs"
                        : "") + "), its pod template the one the harness would run as a pod (env through a Secret, the "
                        + "image, the readiness probe every 2 s), its selector, replicas and strategy as written, with a "
                        + "ConfigChange trigger; the cluster rolls out each new template as a new version, and the master "
                        + "is that version's pod."
                : "DeploymentConfig (apps.openshift.io, not served by this cluster) → its pod template run as a Pod; "
                        + "each rollout is played as the old pod deleted, then the new pod created.");
    }

    @Override
    public BackendDescription description() {
        return new BackendDescription("kubernetes", serverVersion == null ? "?" : serverVersion,
                standing.runtime() + " through fabric8 kubernetes-client", cluster.details() + "; " + standing.rightsHeld()
                        + "; " + standing.securityProfile());
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
                .withNewMetadata().withName(claimName).withLabels(scope.labels()).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).create();
        adapt("PersistentVolumeClaim `" + claimName + "` → a claim of 1Gi of the cluster's default StorageClass (what it "
                + "is, a provisioned volume or a host directory, is read in the pods: « 2.1 » in the notes).");
    }

    @Override
    public void deleteClaim(String claimName) {
        pods.refuseDeletingMounted(claimName);
        client.persistentVolumeClaims().inNamespace(namespace).withName(claimName).delete();
        states.await("PersistentVolumeClaim " + claimName + " deleted", Duration.ofSeconds(60),
                () -> client.persistentVolumeClaims().inNamespace(namespace).withName(claimName).get() == null,
                () -> evidence.events(10));
    }

    // ----- pods ---------------------------------------------------------------------------------------------

    @Override
    public PostgresPod startPod(ContainerPlan plan, Duration readyWithin) {
        open();
        String name = podNames.next(plan);
        KubePod pod = track(new KubePod(name, plan, namespace, exec, evidence));
        client.pods().inNamespace(namespace).resource(specs.pod(name, plan, true)).create();
        return awaitServer(pod, plan, readyWithin);
    }

    /**
     * The pod of a DeploymentConfig, where the cluster serves them: the config applied with the pod template the harness
     * would run as a pod, rolled out by the cluster; the pod is its latest version's, once ready. Where the cluster
     * serves none, its container's plan runs as a pod.
     */
    @Override
    public PostgresPod startDeploymentConfig(DeploymentPlan config, Duration readyWithin) {
        ContainerPlan plan = config.containers().get(0);
        if (deploymentConfigs == null) {
            return startPod(plan, readyWithin);
        }
        open();
        // a Secret of env per template applied: an older version scaled back up keeps its own
        Pod template = specs.pod(podNames.next(plan), plan, true);
        if (configsMade.add(config.name())) {
            resources.track("deploymentconfig " + config.name(), () -> deploymentConfigs.delete(config.name()));
        }
        return configPod(config, deploymentConfigs.apply(config, template), readyWithin);
    }

    @Override
    public boolean runsDeploymentConfigs() {
        return deploymentConfigs != null;
    }

    @Override
    public PostgresPod deploymentConfigPod(DeploymentPlan config, Duration readyWithin) {
        if (deploymentConfigs == null) {
            return Backend.super.deploymentConfigPod(config, readyWithin);
        }
        open();
        return configPod(config, deploymentConfigs.generation(config.name()), readyWithin);
    }

    /** The pod of the config's latest version once its controller has observed {@code generation}, ready. */
    private PostgresPod configPod(DeploymentPlan config, long generation, Duration readyWithin) {
        ContainerPlan plan = config.containers().get(0);
        String[] name = {null};
        try {
            // Recreate makes the new pod once the older ones are gone: each has its grace period to stop (a crashing
            // container's pod took two of them on the offline cluster)
            states.await("deploymentconfig " + config.name() + "'s latest version has a pod",
                    CONTAINER_START.plus(PodSpecs.STOP_GRACE.multipliedBy(2)), () -> {
                name[0] = deploymentConfigs.observedVersion(config.name(), generation)
                        .flatMap(v -> deploymentConfigs.pod(config.name(), v)).orElse(null);
                return name[0] != null;
            }, () -> deploymentConfigs.status(config.name()));
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("the cluster did not roll out deploymentconfig " + config.name() + ": "
                    + Secrets.redact(String.valueOf(e.getMessage())), e);
        }
        // an older version's pod the rollout took away (a rollout the guide's lines made) no longer runs
        pods.all().stream().filter(p -> config.name().equals(p.deploymentConfig) && !p.name().equals(name[0]))
                .forEach(this::stopping);
        KubePod pod = new KubePod(name[0], plan, namespace, exec, evidence);
        pod.deploymentConfig = config.name();
        pod.releaser = () -> pod.running(false); // its config, deleted at the end, takes it
        return awaitServer(pod, plan, readyWithin);
    }

    /** Waits until the pod's server is ready and accepts connections; on failure releases the pod and says why. */
    private PostgresPod awaitServer(KubePod pod, ContainerPlan plan, Duration readyWithin) {
        String name = pod.name();
        Duration limit = waits.scaled(readyWithin);
        try {
            // Readiness is the server's to reach from its container's start: a loaded node may first take a while to
            // mount the claims and create the container (one took 20 s to sync the pod's token Secret).
            states.await("pod " + name + "'s container started", CONTAINER_START, () -> states.started(name),
                    () -> states.status(name));
            // A server that exits is restarted by the kubelet, for ever: its first exit is the answer.
            states.await("pod " + name + " Ready (its readiness probe passes)", readyWithin, () -> states.ready(name),
                    () -> states.crashed(name) != null, () -> states.status(name));
            states.await("pod " + name + " accepts TCP connections on port " + Probes.POSTGRES_PORT, readyWithin,
                    () -> states.ready(name) && exec.quiet(name, plan, Probes.ACCEPTS_TCP) == 0, () -> states.status(name));
        } catch (ConditionTimeoutException e) {
            Integer exit = states.crashed(name);
            if (exit != null) {
                ContainerExited exited = new ContainerExited(name, exit, states.endedLog(name, plan.containerName()));
                release(pod);
                throw exited;
            }
            String logs = evidence.logTail(name, plan, pod.isRunning(), 40);
            release(pod);
            throw new IllegalStateException(name + " did not become ready within " + limit.toMillis() + " ms of its "
                    + "container's start (given " + CONTAINER_START.toSeconds() + " s to start): "
                    + Secrets.redact(String.valueOf(e.getMessage())) + "\n" + logs, e);
        }
        pod.running(true);
        pods.add(pod);
        standing.admitted(states.get(name));
        if (serverVersion == null) {
            serverVersion = "PostgreSQL " + exec.quietOutput(name, plan, List.of("postgres", "--version")).trim()
                    .replace("postgres (PostgreSQL) ", "") + " (" + specs.imageDescription() + ")";
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
        KubePod pod = track(new KubePod(name, plan, namespace, exec, evidence));
        long start = System.nanoTime();
        client.pods().inNamespace(namespace).resource(specs.pod(name, plan, false)).create();
        Duration limit = waits.scaled(timeout);
        boolean timedOut = false;
        try {
            // The timeout is the container's, as it is for an init container: the clock starts when it runs, not
            // while a loaded node is still creating it.
            states.await("pod " + name + "'s container started", CONTAINER_START, () -> states.started(name),
                    () -> states.status(name));
            states.await("pod " + name + " ran to completion", timeout, () -> states.ended(name), () -> states.status(name));
        } catch (ConditionTimeoutException e) {
            timedOut = true;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Integer exit = states.exitCode(name);
        String output = timedOut ? evidence.podLog(name) : states.wholeLog(name);
        if (timedOut) {
            output = output + "\n(still running or not started after " + limit.toMillis() + " ms: " + states.status(name) + ")";
        }
        output = Secrets.redact(output);
        evidence.keep(name, "run to completion, exit " + exit, output);
        release(pod);
        return new ContainerResult(name, exit == null ? -1 : exit, output, took, timedOut || exit == null);
    }

    /**
     * A CronJob run once as {@code kubectl create job --from=cronjob/NAME} runs it ({@link Controllers}): a Job whose
     * pod runs under the template's ServiceAccount; when the cluster refuses that pod, the result is unsucceeded at
     * once and its output is the cluster's reason.
     */
    @Override
    public ContainerResult runCronJobOnce(JobPlan job, Duration timeout) {
        open();
        return controllers.runCronJobOnce(podNames.next(job.container()), job, timeout);
    }

    /** {@code oc exec}: the API's exec in the pod's container, as the image's user; extra env through {@code env}. */
    @Override
    public ContainerResult exec(PostgresPod p, List<String> command, Map<String, String> extraEnv, Duration timeout) {
        return exec.exec((KubePod) p, command, extraEnv, timeout);
    }

    /** {@code oc delete pod}: the kubelet sends the image's stop signal, waits the grace period, and the pod is gone. */
    @Override
    public void deletePod(PostgresPod p) {
        KubePod pod = (KubePod) p;
        if (pod.deploymentConfig != null) {
            adapt("The master stopped where the harness must stop it (to copy its claim, or a master down) → `oc scale "
                    + "dc/" + pod.deploymentConfig + " --replicas=0`: its ReplicationController deletes the pod with its grace "
                    + "period; started again, the config gets its template and replicas back.");
            stopping(pod);
            deploymentConfigs.scale(pod.deploymentConfig, 0);
            awaitGone(pod.name(), PodSpecs.STOP_GRACE.toSeconds());
            return;
        }
        delete(pod, PodSpecs.STOP_GRACE.toSeconds());
    }

    /** A node failure: the pod deleted with a grace period of 0, so the kubelet kills its containers at once. */
    @Override
    public void killPod(PostgresPod p) {
        adapt("A killed pod (a node failure) → `oc delete pod --grace-period=0`: the kubelet kills its containers at once.");
        KubePod pod = (KubePod) p;
        if (pod.deploymentConfig != null) {
            adapt("A killed pod of a DeploymentConfig stays down until the harness starts it again: its config scaled to 0 "
                    + "first, or its ReplicationController would make another at once.");
            deploymentConfigs.scale(pod.deploymentConfig, 0);
        }
        delete(pod, 0);
    }

    /** Keeps the pod's log, deletes it with that grace period, waits until it is gone, then deletes its env's Secret. */
    private void delete(KubePod pod, long graceSeconds) {
        String name = pod.name();
        stopping(pod);
        client.pods().inNamespace(namespace).withName(name).withGracePeriod(graceSeconds).delete();
        awaitGone(name, graceSeconds);
        client.secrets().inNamespace(namespace).withName(name + "-env").delete();
        resources.releaseNow(pod.releaser);
    }

    /** Removes a pod now and forgets it. */
    /** Before a pod goes: its log kept, and it no longer counts as running. */
    private void stopping(KubePod pod) {
        evidence.keepBeforeDeletion(pod.name());
        pod.running(false);
        pods.remove(pod);
    }

    /**
     * Waits for a deleted pod to be gone: its grace period (which a server waiting for its sessions uses whole), then
     * the kubelet's teardown ({@link #POD_TEARDOWN}).
     */
    private void awaitGone(String name, long graceSeconds) {
        states.await("pod " + name + " gone", Duration.ofSeconds(graceSeconds).plus(POD_TEARDOWN), () -> states.get(name) == null,
                () -> states.status(name));
    }

    /**
     * What a pod takes to go once its containers have ended (the sandbox, the volumes unmounted, the API object
     * deleted): up to 60 s seen on the offline cluster under CI's load (a master's pod that used its whole 30 s grace
     * was gone after 89.8 s, where the limit was the grace and 60 s): twice that.
     */
    private static final Duration POD_TEARDOWN = Duration.ofSeconds(120);

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

    // ----- services, Secrets, Deployments -------------------------------------------------------------------

    /** {@code oc apply -f} of the Service, in the run's namespace (its clusterIP left to the cluster). */
    @Override
    public void applyService(Service service) {
        open();
        services.apply(service);
    }

    @Override
    public void deleteService(String serviceName) {
        services.delete(serviceName);
    }

    /**
     * A Service's endpoint: a port-forward to the Service, to the running pod its selector picks once the cluster's
     * Endpoints for that Service list the pod, on the port the Endpoints give for the Service's port (its targetPort):
     * a Service whose targetPort does not lead to the server gives no connection.
     */
    @Override
    public Endpoint service(String serviceName) {
        return services.endpoint(serviceName, pods.all());
    }

    /** {@code oc apply} of one of the manifests' Secrets, with this run's values: the guide's objects, by their names. */
    @Override
    public void applySecret(String secretName, Map<String, String> stringData) {
        open();
        client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(secretName)
                .withLabels(scope.labels()).endMetadata().withStringData(stringData).build()).createOr(NonDeletingOperation::update);
    }

    /**
     * {@code oc apply -f} of a Deployment (apps/v1), run by the cluster's controller ({@link Controllers}): its pod
     * template as the harness makes pods, its strategy as the manifest gives it. The harness does not track its pods.
     */
    @Override
    public void applyDeployment(DeploymentPlan deployment) {
        open();
        controllers.applyDeployment(deployment);
    }

    // ----- evidence -----------------------------------------------------------------------------------------

    /**
     * The failure's evidence, written under {@code dir} (created), redacted: every container's full log of every pod
     * in the pair's namespace, init containers included, and the logs kept of pods already gone (init containers run
     * as pods, Jobs, deleted pods); each pod's description (spec and status, as YAML); the namespace's events; its
     * objects as YAML (Services, ConfigMaps, claims, Deployments, Jobs, CronJobs, RBAC, ...), its Secrets by name only.
     * Returns the files written. What the cluster does not answer is listed in {@code errors.txt}.
     */
    @Override
    public List<Path> collectEvidence(Path dir) {
        return evidence.collect(dir);
    }

    // ----- the namespace, the cluster's command line --------------------------------------------------------

    private void deleteNamespace() {
        pods.all().forEach(p -> p.running(false));
        client.namespaces().withName(namespace).delete();
        try {
            states.await("namespace " + namespace + " deleted", Duration.ofSeconds(120),
                    () -> client.namespaces().withName(namespace).get() == null, () -> "namespace still there");
        } catch (ConditionTimeoutException e) {
            // reported by the CI's check; the next run's sweep deletes it too
            LoggerFactory.getLogger(KubernetesBackend.class).warn("{}", e.getMessage());
        }
    }

    /** On the offline cluster, the image's stand-in built here, never pulled; elsewhere the image itself. */
    @Override
    public Optional<ClusterImage> clusterImage(String image) {
        open();
        return Optional.of(new ClusterImage(specs.image(image, ContainerPlan.majorOf(image), "the guide's `" + image + "`"),
                cluster.offlineImages()));
    }

    /** The guide's {@code oc} commands: a bash where {@code oc} is the cluster's CLI, in this pair's namespace. */
    @Override
    public boolean runsOnACluster() {
        return true;
    }

    @Override
    public synchronized Optional<ClusterShell> clusterShell() {
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
        adaptations.add(scope.nameSuffix().map(x -> a.replace(x, "<pair>")).orElse(a), namespace, "<namespace>");
    }

    /** In the namespace a tenant was given, the suffix of this pair's object names; empty in a namespace of its own. */
    @Override
    public Optional<String> podNetwork() {
        open();
        return specs.podNetwork();
    }

    @Override
    public Optional<String> nameSuffix() {
        return scope.nameSuffix();
    }

    @Override
    public void close() {
        resources.close();
    }
}

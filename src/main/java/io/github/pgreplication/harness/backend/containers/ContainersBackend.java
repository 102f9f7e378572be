package io.github.pgreplication.harness.backend.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import io.fabric8.kubernetes.api.model.Service;
import io.github.pgreplication.harness.backend.Adaptations;
import io.github.pgreplication.harness.backend.Backend;
import io.github.pgreplication.harness.backend.ClaimCopy;
import io.github.pgreplication.harness.backend.ClusterShell;
import io.github.pgreplication.harness.backend.BackendDescription;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.backend.ContainerExited;
import io.github.pgreplication.harness.backend.Endpoint;
import io.github.pgreplication.harness.backend.EvidenceFiles;
import io.github.pgreplication.harness.backend.OcSecrets;
import io.github.pgreplication.harness.backend.OcServer;
import io.github.pgreplication.harness.backend.OcVerbs;
import io.github.pgreplication.harness.backend.OcShell;
import io.github.pgreplication.harness.backend.PodNames;
import io.github.pgreplication.harness.backend.Pods;
import io.github.pgreplication.harness.backend.PostgresPod;
import io.github.pgreplication.harness.backend.Probes;
import io.github.pgreplication.harness.backend.RunIds;
import io.github.pgreplication.harness.backend.ServiceRoutes;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.run.OsUser;
import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.run.RunDirectory;
import io.github.pgreplication.harness.run.Secrets;
import io.github.pgreplication.harness.run.Waits;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.containers.wait.strategy.WaitAllStrategy;

/**
 * The guide's pods as Docker containers, through Testcontainers: one network per pair where each Service's
 * name is a network alias of the containers its selector picks (so the guide's scripts run unchanged with
 * MASTER_SERVICE=postgresql), named volumes for the PersistentVolumeClaims, the ConfigMaps' files copied
 * in at their mount paths, tmpfs for emptyDirs, each server published on a free port of 127.0.0.1 only.
 * Everything carries the run's labels and is removed at the end; a later run sweeps what a killed JVM left.
 */
public final class ContainersBackend implements Backend {

    private static final int POSTGRES_PORT = Probes.POSTGRES_PORT;
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    /** This backend's own containers, volumes and network (its part of the run's), released in reverse order on close and on Ctrl-C. */
    private final ResourceManager resources;
    /** The run's resources: what outlives this backend's pairs (the data templates). */
    private final ResourceManager runResources;
    private final Waits waits;
    private final DockerClient docker;
    private final String runId;
    private final Map<String, String> labels;
    private final ContainerSpecs specs;
    private final ServiceRoutes services = new ServiceRoutes();
    private final Pods<ContainerPod> pods = new Pods<>();
    private final PodNames podNames = new PodNames();
    private final Adaptations adaptations = new Adaptations();
    private final ContainerEvidence evidence;
    /** Where the claims' data lives when it is on the host's tmpfs (see harness.volumes); null: Docker's volume directory. */
    private final RunDirectory hostVolumes;
    /** The user, groups and capabilities of every container, and what a claim's root is (harness.containers.security). */
    private final ContainerSecurity security;
    /** Each new claim's root, made as a provisioned disk's under the openshift profile. */
    private final ClaimRoots claimRoots;
    /** What Docker applied to the first server container, from its inspect; null before. */
    private volatile String securityApplied;
    /** The Secrets applied, for this backend's {@code oc get secret}. */
    private final OcSecrets secrets = new OcSecrets();
    /** This backend's {@code oc} and its shell, made when first asked for. */
    private OcShell ocShell;

    public ContainersBackend(HarnessSettings settings, ResourceManager runResources, Waits waits) {
        this.waits = waits;
        this.runResources = runResources;
        this.docker = DockerClientFactory.instance().client();
        DockerLabels.sweepOrphans(docker);
        this.runId = RunIds.next();
        this.labels = DockerLabels.of(runId);
        // The network is the run's (removed after this backend's part when the run ends), and is taken before that
        // part is made; the first thing the part tracks, it goes back to the run's pool once every container is gone.
        PodNetworks.PodNetwork podNetwork = PodNetworks.take(docker, runId, labels, runResources);
        this.resources = runResources.child("containers backend " + runId);
        resources.track("network of " + runId + ", back to the run's pool",
                () -> PodNetworks.giveBack(docker, runResources, podNetwork));
        Path parent = RunDirectory.parent(settings.volumesDir());
        if (settings.volumesDir().isPresent() || parent.equals(Path.of("/dev/shm"))) {
            RunDirectory.sweepOrphans();
            this.hostVolumes = resources.track("claims' directory", RunDirectory
                    .create(parent, OsUser.current()));
        } else {
            this.hostVolumes = null;
        }
        this.security = ContainerSecurity.of(settings.containersSecurity());
        this.claimRoots = new ClaimRoots(security, labels);
        this.specs = new ContainerSpecs(new Images(docker, settings), podNetwork.network(), podNetwork.subnet(), labels, runId,
                hostVolumes, security, claimRoots, this::adapt);
        this.evidence = new ContainerEvidence(docker);
        resources.track("failure evidence kept", evidence::clear);
        adapt("Each Service is a network alias, on a Docker network of the run's own (one pair at a time: a pair's "
                + "network serves the next once the pair's containers are gone), of the containers its selector "
                + "matches; the harness reaches a server through a port published on 127.0.0.1 only, the one of "
                + "the container's 5432 when the Service's targetPort leads there (a number 5432, or a name the "
                + "Preflight judged to be the server's containerPort), else a port where nothing listens.");
        adapt(security.adaptation());
    }

    /** What this backend lacks for pods of these PostgreSQL majors (the Docker engine, the images); empty when nothing. */
    public static List<String> preflight(HarnessSettings settings, Set<Integer> imageMajors) {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            return List.of("harness.backend=containers: no Docker engine answers (start dockerd, or run with "
                    + "-Pno-containers / harness.backend=local)");
        }
        Images images = new Images(DockerClientFactory.instance().client(), settings);
        List<String> problems = new ArrayList<>();
        try {
            settings.containersSecurity();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        for (int major : settings.pgMajor().map(Set::of).orElse(imageMajors)) {
            images.missing(major).ifPresent(problems::add);
        }
        return problems;
    }

    @Override
    public Optional<String> clientToolsOfAnotherMajor(PostgresPod pod) {
        return ((ContainerPod) pod).image.clientOfAnotherMajor();
    }

    @Override
    public BackendDescription description() {
        var v = docker.versionCmd().exec();
        Images.Resolved lastImage = specs.lastImage();
        return new BackendDescription("containers", lastImage == null ? "?" : lastImage.serverVersion(),
                "Docker " + v.getVersion() + " (API " + v.getApiVersion() + ") through Testcontainers; " + security.description()
                        + "; " + (securityApplied == null ? "no server container started" : securityApplied),
                lastImage == null ? "no image yet" : "image " + lastImage.description());
    }

    // ----- claims -------------------------------------------------------------------------------------------

    private String volumeName(String claim) {
        return specs.volumeName(claim);
    }

    /** After Ctrl-C the scenario's thread may still be running: nothing new is created once the run is released. */
    private void open() {
        resources.requireOpen();
    }

    @Override
    public void claim(String claimName) {
        open();
        String name = volumeName(claimName);
        if (!hasClaim(claimName)) {
            var create = docker.createVolumeCmd().withName(name).withLabels(labels);
            if (hostVolumes != null) {
                // A named volume of the local driver bound to a directory: Docker's volume, the data on the tmpfs.
                Path dir = hostVolumes.dir(OsUser.current(), "volumes", claimName);
                create.withDriver("local").withDriverOpts(Map.of("type", "none", "o", "bind", "device", dir.toString()));
            }
            create.exec();
            resources.track("volume " + name, () -> removeVolume(name));
            claimRoots.created(name, Optional.ofNullable(hostVolumes).map(v -> claimDirectory(claimName)));
            adapt("PersistentVolumeClaim `" + claimName + "` → Docker volume `<run>-" + claimName + "`" + (hostVolumes == null
                    ? "." : ", its data in a directory of the host's " + RunDirectory
                    .describe(hostVolumes.root().getParent()) + " bound by the local volume driver (harness.volumes)."));
        }
    }

    /** Whether the claim's Docker volume exists (made and not deleted). */
    boolean hasClaim(String claimName) {
        String name = volumeName(claimName);
        var volumes = docker.listVolumesCmd().withFilter("name", List.of(name)).exec().getVolumes();
        return volumes != null && volumes.stream().anyMatch(v -> v.getName().equals(name));
    }

    /** Where the claims' data is on the host (harness.volumes, the default as root): a copy of its directory. */
    @Override
    public Optional<ClaimCopy> copyClaim(String claimName) {
        if (hostVolumes == null) {
            return Optional.empty();
        }
        pods.refuseCopyingMounted(claimName);
        return Optional.of(ClaimCopy.of(claimName, claimDirectory(claimName), hostVolumes.root().getParent(),
                OsUser.current(), runResources));
    }

    @Override
    public Path claimFrom(String claimName, ClaimCopy copy) {
        if (hostVolumes == null) {
            return Backend.super.claimFrom(claimName, copy);
        }
        claim(claimName);
        Path dir = claimDirectory(claimName);
        copy.into(dir);
        adapt("A claim made from a copy of another pair's claim, taken while no pod mounted it (a volume snapshot): "
                + "the directory of its Docker volume copied with its modes and owners.");
        return dir;
    }

    /** Where a claim's data is on the host, when the claims are on the host (harness.volumes). */
    private Path claimDirectory(String claimName) {
        return hostVolumes.root().resolve("volumes").resolve(claimName);
    }

    @Override
    public void deleteClaim(String claimName) {
        pods.refuseDeletingMounted(claimName);
        removeVolume(volumeName(claimName));
        claimRoots.removed(volumeName(claimName));
        if (hostVolumes != null) {
            RunDirectory.deleteTree(claimDirectory(claimName));
        }
    }

    private void removeVolume(String name) {
        Volumes.remove(docker, waits, name);
    }

    // ----- pods ---------------------------------------------------------------------------------------------

    @Override
    public PostgresPod startPod(ContainerPlan plan, Duration readyWithin) {
        open();
        String name = podNames.next(plan);
        // Ready: the real server accepts connections on the published port (polled from the JVM), then the pod's
        // readiness probe passes (docker exec, about 70 ms of CPU each: run once the server answers, not before).
        RecordsExit exited = new RecordsExit();
        long startedAt = java.time.Instant.now().getEpochSecond() - 1;
        GenericContainer<?> c = container(plan, name)
                .withLogConsumer(exited.consumer())
                .withExposedPorts(POSTGRES_PORT)
                .withNetworkAliases(services.selecting(plan.podLabels()).toArray(String[]::new))
                .waitingFor(new WaitAllStrategy(WaitAllStrategy.Mode.WITH_MAXIMUM_OUTER_TIMEOUT)
                        .withStrategy(new AcceptsConnections())
                        .withStrategy(new ReadinessProbe(Probes.readiness(plan)))
                        .withStartupTimeout(waits.scaled(readyWithin)));
        ContainerSpecs.publishOnLoopback(c);
        Optional<DataTemplates.Seed> seed = hostVolumes == null ? Optional.empty() : DataTemplates.seedIfEmpty(plan,
                specs.lastImage().image(), hostVolumes.root(), labels, security, runResources, waits.scaled(readyWithin));
        ContainerPod pod = track(new ContainerPod(name, plan, c, specs.lastImage(), this));
        try {
            c.start();
            seed.ifPresent(s -> {
                s.setPassword(pod.endpoint());
                adapt("An empty data directory (PGDATA) on a claim gets a copy of the image's own initialisation, made once per run for "
                        + "each image, arguments and environment (as PostgreSQL's own test suite copies an initdb "
                        + "template); the superuser's password is then set from POSTGRES_PASSWORD. Its container says "
                        + "« Skipping initialization ».");
            });
        } catch (ContainerLaunchException e) {
            evidence.ending(pod, pod.rememberLogs());
            String logs = pod.logTail(40);
            Optional<ContainerExited> ended = exited.ended(docker, runId + "-" + name, name, startedAt);
            release(pod);
            if (ended.isPresent()) {
                throw ended.get();
            }
            throw new IllegalStateException(name + " did not become ready within " + waits.scaled(readyWithin).toMillis()
                    + " ms: " + Secrets.redact(String.valueOf(e.getMessage())) + "\n" + logs, e);
        }
        pods.add(pod);
        Probes.livenessNotRun(plan).ifPresent(this::adapt);
        if (securityApplied == null) {
            securityApplied = ContainerSecurity.applied(name, docker.inspectContainerCmd(c.getContainerId()).exec());
        }
        return pod;
    }

    /**
     * An init container or a Job: started by Testcontainers, then awaited here. Testcontainers' one-shot start-up
     * check removes a container that exits non-zero, with its exit status and output, which are exactly what
     * the troubleshooting scenarios need; so the start-up check only waits for the start, and the harness waits
     * for the exit, keeps status and output, then removes the container.
     */
    @Override
    public ContainerResult runToCompletion(ContainerPlan plan, Duration timeout) {
        open();
        String name = podNames.next(plan);
        Duration limit = waits.scaled(timeout);
        GenericContainer<?> c = container(plan, name)
                .withStartupCheckStrategy(new StartupCheckStrategy() {
                    @Override
                    public StartupStatus checkStartupState(DockerClient client, String containerId) {
                        return StartupStatus.SUCCESSFUL;
                    }
                })
                .waitingFor(new AbstractWaitStrategy() {
                    @Override
                    protected void waitUntilReady() {
                        // nothing to wait for: the exit is awaited below
                    }
                });
        ContainerPod pod = track(new ContainerPod(name, plan, c, specs.lastImage(), this));
        long start = System.nanoTime();
        c.start();
        Integer exit;
        try (WaitContainerResultCallback wait = docker.waitContainerCmd(c.getContainerId())
                .exec(new WaitContainerResultCallback())) {
            exit = wait.awaitStatusCode(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (DockerClientException timeoutOrError) {
            exit = null; // still running when the time was up
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        String output = Secrets.redact(c.getLogs());
        evidence.ending(pod, output);
        release(pod);
        return new ContainerResult(name, exit == null ? -1 : exit, output, took, exit == null);
    }

    /**
     * {@code oc exec}: docker exec, as the container's user (the profile's UID and groups under openshift, as {@code oc
     * exec} takes the pod's; the image's default user under image), with the container's env.
     */
    @Override
    public ContainerResult exec(PostgresPod p, List<String> command, Map<String, String> extraEnv, Duration timeout) {
        ContainerPod pod = (ContainerPod) p;
        return DockerExec.run(docker, pod.name() + " exec " + String.join(" ", command), pod.container.getContainerId(), command,
                extraEnv, waits.scaled(timeout));
    }

    /** Deleting a pod: the image's stop signal (SIGINT: a fast shutdown), a grace period, then removal. */
    @Override
    public void deletePod(PostgresPod p) {
        ContainerPod pod = (ContainerPod) p;
        if (!pods.all().contains(pod)) {
            return; // deleted already (by the guide's `oc delete`), as a cluster's pod deleted twice is gone once
        }
        if (pod.isRunning()) {
            docker.stopContainerCmd(pod.container.getContainerId()).withTimeout((int) STOP_GRACE.toSeconds()).exec();
        }
        evidence.ending(pod, pod.rememberLogs());
        release(pod);
    }

    @Override
    public void killPod(PostgresPod p) {
        ContainerPod pod = (ContainerPod) p;
        if (pod.isRunning()) {
            docker.killContainerCmd(pod.container.getContainerId()).exec();
        }
    }

    private void remove(ContainerPod pod) {
        pods.remove(pod);
        if (pod.container.getContainerId() != null) {
            pod.container.stop(); // Testcontainers: kill and remove, with the container's anonymous volumes
        }
    }

    /** Removes a pod now and forgets it. */
    private void release(ContainerPod pod) {
        resources.releaseNow(pod.releaser);
    }

    // ----- services -----------------------------------------------------------------------------------------

    @Override
    public void applyService(Service service) {
        services.apply(service);
    }

    @Override
    public void deleteService(String serviceName) {
        services.delete(serviceName);
    }

    @Override
    public Endpoint service(String serviceName) {
        return services.endpoint(serviceName, pods.all());
    }

    @Override
    public void applySecret(String secretName, Map<String, String> stringData) {
        secrets.apply(secretName, stringData);
    }

    /** A bash whose {@code oc} is this backend's own ({@link OcServer}), on its containers, in project {@code <run>}. */
    @Override
    public synchronized Optional<ClusterShell> clusterShell() {
        open();
        if (ocShell == null) {
            OcServer server = resources.track("the containers backend's oc", new OcServer(new ContainersOc(this, docker, runId,
                    pods::all, secrets, services), Optional.ofNullable(hostVolumes).map(RunDirectory::root)));
            ocShell = server.newShell();
            adapt("`oc` → the containers backend's own, for the verbs the guide's lines use (" + OcVerbs.PROVIDED
                    + "): a server of the harness on a free port of 127.0.0.1, called by an `oc` "
                    + "program of the shell's; `exec` as `docker exec` (the image's user, the container's env), standard "
                    + "input only with `-i`, no terminal; another verb or flag is reported as not run.");
        }
        return Optional.of(ocShell);
    }

    // ----- what a container is made of ----------------------------------------------------------------------

    private ContainerPod track(ContainerPod pod) {
        pod.releaser = () -> remove(pod);
        resources.track("container " + pod.name(), pod.releaser);
        evidence.made(pod);
        return pod;
    }

    private GenericContainer<?> container(ContainerPlan plan, String name) {
        return specs.container(plan, name);
    }

    /** The server's own log file (logging_collector writes to PGDATA/log), last lines. */
    String serverLogTail(ContainerPod pod, int lines) {
        ContainerResult r = exec(pod, Probes.serverLogTail(lines), Map.of(), Duration.ofSeconds(10));
        return r.output();
    }

    @Override
    public List<String> adaptations() {
        return adaptations.all();
    }

    private void adapt(String a) {
        adaptations.add(a, runId, "<run>");
    }

    /**
     * Every pod's whole output (what was kept of those already removed: init containers, Jobs, deleted pods), its
     * description and {@code docker inspect}, the server log files of each claim: see {@link ContainerEvidence}.
     */
    @Override
    public List<Path> collectEvidence(Path dir) {
        return evidence.write(dir, pods.all(), EvidenceFiles.describe(description(), adaptations(), "Run id:         " + runId
                + " (<run> in the adaptations)"));
    }

    @Override
    public void close() {
        resources.close();
    }
}

package io.github.pgreplication.harness.backend.local;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.github.pgreplication.harness.backend.Adaptations;
import io.github.pgreplication.harness.backend.Backend;
import io.github.pgreplication.harness.backend.ClaimCopy;
import io.github.pgreplication.harness.backend.ClusterShell;
import io.github.pgreplication.harness.backend.BackendDescription;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.backend.Endpoint;
import io.github.pgreplication.harness.backend.EvidenceFiles;
import io.github.pgreplication.harness.backend.OcSecrets;
import io.github.pgreplication.harness.backend.OcServer;
import io.github.pgreplication.harness.backend.OcVerbs;
import io.github.pgreplication.harness.backend.OcShell;
import io.github.pgreplication.harness.backend.Pods;
import io.github.pgreplication.harness.backend.PostgresPod;
import io.github.pgreplication.harness.backend.Probes;
import io.github.pgreplication.harness.backend.ServiceRoutes;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.ImageContract;
import io.github.pgreplication.harness.run.FreePorts;
import io.github.pgreplication.harness.run.OsUser;
import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.run.RunDirectory;
import io.github.pgreplication.harness.run.Secrets;
import io.github.pgreplication.harness.run.Waits;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default backend: each pod of the guide is a PostgreSQL process of the local binaries, run as an
 * unprivileged user, on a free loopback port, its volumes and mounted files in the run's directory. Only
 * host-level adaptations are made (service names, ports, paths, the pod CIDR), each recorded for the report.
 */
public final class LocalBackend implements Backend {

    private static final Logger LOG = LoggerFactory.getLogger(LocalBackend.class);
    /** A pod's grace period when it is deleted (Kubernetes' default terminationGracePeriodSeconds), as Docker's and the kubelet's. */
    static final Duration POD_GRACE = Duration.ofSeconds(30);

    private final PostgresBinaries binaries;
    private final OsUser user;
    private final RunDirectory run;
    /** The run's resources: what outlives this backend (the initdb templates every pair copies). */
    private final ResourceManager runResources;
    /** This backend's own part of them (its run directory, its processes), released when it closes. */
    private final ResourceManager resources;
    private final Waits waits;
    /** The images' entrypoints this backend plays, by contract: an image of any other contract is refused. */
    private final Map<ImageContract, EntrypointPlayer> players = players(new OfficialImageEntrypoint(this),
            new SclorgEntrypoint(this));
    private final Adaptations adaptations = new Adaptations();
    private final ServiceRoutes services = new ServiceRoutes();
    private final Map<String, Integer> servicePorts = new HashMap<>();
    private final Pods<LocalPod> pods = new Pods<>();
    private final PodPreparation preparation;
    private final Optional<Path> initdbCache;
    /** The Secrets applied, for this backend's {@code oc get secret}. */
    private final OcSecrets secrets = new OcSecrets();
    /** This backend's {@code oc} and its shell, made when first asked for. */
    private OcShell ocShell;

    public LocalBackend(HarnessSettings settings, ResourceManager resources, Waits waits) {
        this.runResources = resources;
        this.resources = resources.child("local backend");
        this.waits = waits;
        Path parent = RunDirectory.parent(settings.volumesDir());
        RunDirectory.sweepOrphans().forEach(s -> LOG.info("swept what a killed run left: {}", s));
        if (settings.volumesDir().isPresent()) {
            RunDirectory.sweepOrphans(parent).forEach(s -> LOG.info("swept what a killed run left: {}", s));
        }
        this.user = OsUser.forServers(settings.runAsUser());
        this.binaries = PostgresBinaries.find(settings.pgBin());
        this.initdbCache = settings.initdbCache();
        this.run = this.resources.track("run directory", RunDirectory.create(parent, user));
        this.preparation = new PodPreparation(run, user, binaries, services, servicePorts, this::adapt);
        LOG.info("local backend: {} from {}, servers run as {}, run directory {}", binaries.version(), binaries.bin(),
                user, run.root());
        adapt("The pods' claims and files live in the run directory `$RUN`, on " + RunDirectory.describe(parent)
                + " (`harness.volumes` chooses another place; a PVC is a directory there).");
        adapt("Every pod process runs as the OS user `" + user + "`" + (user.prefix().isEmpty() ? ""
                : " (through setpriv; the image starts as root and drops to postgres with gosu)")
                + "; locale C.UTF-8 (the image sets en_US.utf8).");
    }

    /** What this backend lacks on this host for pods of these PostgreSQL majors; empty when nothing. */
    public static List<String> preflight(HarnessSettings settings, Set<Integer> imageMajors) {
        List<String> problems = new ArrayList<>();
        try {
            OsUser.forServers(settings.runAsUser());
        } catch (RuntimeException e) {
            problems.add(e.getMessage());
        }
        try {
            PostgresBinaries b = PostgresBinaries.find(settings.pgBin());
            imageMajors.stream().filter(m -> m != b.major()).forEach(m -> problems.add("the manifests run postgres:" + m
                    + " but the local backend found PostgreSQL " + b.major() + " at " + b.bin() + ": install PostgreSQL "
                    + m + " (Debian: postgresql-" + m + ") and point harness.pg.bin at its bin directory"));
        } catch (RuntimeException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    OsUser user() {
        return user;
    }

    PostgresBinaries binaries() {
        return binaries;
    }

    /** The run's resources, for what outlives this backend (the initdb templates). */
    ResourceManager runResources() {
        return runResources;
    }

    /** Where initdb templates are kept between runs; empty: one per run. */
    Optional<Path> initdbCache() {
        return initdbCache;
    }

    /** Records a host adaptation for the report. */
    void adaptation(String text) {
        adapt(text);
    }

    public Path runDirectory() {
        return run.root();
    }

    @Override
    public BackendDescription description() {
        return new BackendDescription("local", binaries.version(), "PostgreSQL processes (no containers)",
                "binaries " + binaries.bin() + ", processes as OS user " + user);
    }

    @Override
    public void claim(String claimName) {
        resources.requireOpen();
        Path dir = volume(claimName);
        if (!Files.isDirectory(dir)) {
            run.dir(user, "volumes", claimName);
            setMode(dir, "rwx------");
            adapt("PersistentVolumeClaim `" + claimName + "` → directory `$RUN/volumes/" + claimName + "`.");
        }
    }

    @Override
    public void deleteClaim(String claimName) {
        pods.refuseDeletingMounted(claimName);
        RunDirectory.deleteTree(volume(claimName));
    }

    @Override
    public Optional<ClaimCopy> copyClaim(String claimName) {
        pods.refuseCopyingMounted(claimName);
        return Optional.of(ClaimCopy.of(claimName, volume(claimName),
                run.root().getParent(), user, runResources));
    }

    @Override
    public Path claimFrom(String claimName, ClaimCopy copy) {
        claim(claimName);
        copy.into(volume(claimName));
        adapt("A claim made from a copy of another pair's claim, taken while no pod mounted it (a volume snapshot): "
                + "a directory copied with its modes and owners.");
        return volume(claimName);
    }

    /** Whether the claim's directory exists (made and not deleted). */
    boolean hasClaim(String claimName) {
        return Files.isDirectory(volume(claimName));
    }

    private Path volume(String claimName) {
        return preparation.volume(claimName);
    }

    // ----- pods -------------------------------------------------------------------------------------------

    @Override
    public PostgresPod startPod(ContainerPlan plan, Duration readyWithin) {
        resources.requireOpen();
        checkImage(plan);
        if (!plan.command().isEmpty()) {
            throw new IllegalArgumentException(plan.source() + ": container " + plan.containerName() + " overrides the "
                    + "image's entrypoint with a command; the local backend starts servers through the image's entrypoint");
        }
        LocalPod pod = preparation.prepare(plan, portFor(plan));
        List<String> adaptationArgs = List.of("-c", "listen_addresses=127.0.0.1", "-c", "port=" + pod.port,
                "-c", "unix_socket_directories=" + socketDir(pod));
        adapt("Server containers get `-c listen_addresses=127.0.0.1 -c port=<free port> -c unix_socket_directories="
                + "$RUN/sock/<pod>` after their args: loopback only, a port picked free at run time instead of the "
                + "pod IP and the standard port, the image's socket directory " + plan.imageContract().socketDirectory() + " moved into the run; "
                + "each replaces the team's value only after the Preflight judged that value fine for a pod on a "
                + "cluster (the « Judged before adapting » lines name it and why).");
        EntrypointPlayer player = players.get(plan.imageContract());
        List<String> server = new ArrayList<>(List.of(binaries.tool("postgres").toString()));
        server.addAll(player.prepareServer(pod, adaptationArgs, readyWithin));
        server.addAll(adaptationArgs);
        ForeignIncludes.check(pod, ForeignIncludes.configFile(server, pod.pgdata()), pod.root);
        // stopped as a pod is: its image's stop signal, then SIGKILL at the end of the grace period
        pod.server = startServerProcess(pod, "postgres", server, player.serverEnvironment(pod))
                .stoppedBy(plan.imageContract().stopSignal());
        pods.add(pod);
        awaitReady(pod, pod.server, readyWithin);
        Probes.livenessNotRun(plan).ifPresent(this::adapt);
        return pod;
    }

    @Override
    public ContainerResult runToCompletion(ContainerPlan plan, Duration timeout) {
        resources.requireOpen();
        checkImage(plan);
        LocalPod pod = preparation.prepare(plan, 0);
        List<String> cmd = new ArrayList<>();
        plan.command().forEach(c -> cmd.add(pod.paths.rewrite(c)));
        cmd.addAll(rewrittenArgs(pod));
        if (cmd.isEmpty()) {
            throw new IllegalArgumentException(plan.source() + ": container " + plan.containerName() + " has no command");
        }
        return runInPod(pod, plan.containerName(), cmd, timeout, false);
    }

    @Override
    public ContainerResult exec(PostgresPod p, List<String> command, Map<String, String> extraEnv, Duration timeout) {
        LocalPod pod = (LocalPod) p;
        List<String> cmd = command.stream().map(pod.paths::rewrite).toList();
        Map<String, String> env = new LinkedHashMap<>(pod.env);
        env.putAll(extraEnv);
        return run(pod, "exec " + String.join(" ", command), cmd, env, timeout);
    }

    @Override
    public void deletePod(PostgresPod p) {
        LocalPod pod = (LocalPod) p;
        if (!pods.all().contains(pod)) {
            return; // deleted already (by the guide's `oc delete`), as a cluster's pod deleted twice is gone once
        }
        if (pod.server != null) {
            resources.releaseNow(pod.server);
        }
        pods.remove(pod);
    }

    @Override
    public void killPod(PostgresPod p) {
        LocalPod pod = (LocalPod) p;
        if (pod.server != null) {
            pod.server.kill();
        }
    }

    // ----- services ---------------------------------------------------------------------------------------

    @Override
    public void applyService(Service service) {
        String name = service.getMetadata().getName();
        services.apply(service);
        int port = pods.running().stream().filter(p -> ServiceRoutes.selects(service, p.labels())).map(p -> p.port)
                .findFirst().orElseGet(() -> servicePorts.getOrDefault(name, freePort()));
        servicePorts.put(name, port);
        adapt("Service `" + name + "` (port " + service.getSpec().getPorts().stream().map(ServicePort::getPort).toList()
                + ") → 127.0.0.1:<free port> of the pod its selector " + service.getSpec().getSelector() + " matches, "
                + "when its targetPort leads to the server's port 5432 in a pod (else a port where nothing listens).");
    }

    @Override
    public void deleteService(String serviceName) {
        services.delete(serviceName);
    }

    @Override
    public Endpoint service(String serviceName) {
        return services.endpoint(serviceName, pods.all());
    }

    private int portFor(ContainerPlan plan) {
        List<String> matching = services.selecting(plan.podLabels());
        if (matching.size() > 1) {
            throw new IllegalStateException("pod " + plan.podName() + " is selected by several Services " + matching
                    + "; the local backend gives a pod one port");
        }
        return matching.isEmpty() ? freePort() : servicePorts.get(matching.get(0));
    }

    @Override
    public void applySecret(String secretName, Map<String, String> stringData) {
        secrets.apply(secretName, stringData);
    }

    /** A bash whose {@code oc} is this backend's own ({@link OcServer}), on its pods, in project {@code pgrh-<run id>}. */
    @Override
    public synchronized Optional<ClusterShell> clusterShell() {
        resources.requireOpen();
        if (ocShell == null) {
            OcServer server = resources.track("the local backend's oc", new OcServer(new LocalOc(this, "pgrh-" + run.runId(),
                    pods::all, resources, secrets, services), Optional.of(run.root())));
            ocShell = server.newShell();
            adapt("`oc` → the local backend's own, for the verbs the guide's lines use (" + OcVerbs.PROVIDED
                    + "): a server of the harness on a free port of 127.0.0.1, called by an `oc` program "
                    + "of the shell's; `exec` as the backend's (the pod's OS user, env and paths), standard input only with "
                    + "`-i`, no terminal; another verb or flag is reported as not run.");
        }
        return Optional.of(ocShell);
    }

    @Override
    public Set<String> hostServerSettings() {
        return Set.of("listen_addresses", "port", "unix_socket_directories");
    }

    @Override
    public List<String> adaptations() {
        return adaptations.all();
    }

    /**
     * Every pod's whole container log and description (servers and containers run to completion, deleted ones too),
     * the server log files under each data directory's {@code log}, the run directory's listing: see {@link LocalEvidence}.
     */
    @Override
    public List<Path> collectEvidence(Path dir) {
        return LocalEvidence.write(dir, run.root(), preparation.prepared(), pods.all(), EvidenceFiles.describe(description(),
                adaptations(), "Run directory:  " + run.root() + " ($RUN below)", "Servers' user:  " + user));
    }

    @Override
    public void close() {
        pods.clear();
        resources.close(); // the pods' processes first (SIGINT, a fast shutdown), then the run directory
    }

    // ----- what a pod is made of ----------------------------------------------------------------------------

    private void checkImage(ContainerPlan plan) {
        if (!plan.resources().isEmpty()) {
            adapt("A container's resources (" + plan.containerName() + " of " + plan.source() + ": " + plan.resources()
                    + ") → not applied: a process here runs under no memory or CPU limit of its own, and no scheduler "
                    + "reads requests (the containers and Kubernetes backends apply the limits).");
        }
        if (!players.containsKey(plan.imageContract())) {
            throw new IllegalArgumentException(plan.source() + ": container " + plan.containerName() + " runs image "
                    + plan.image() + " (" + plan.imageContract().description() + "); the local backend plays the "
                    + "entrypoints of " + String.join(", ", players.keySet().stream().map(ImageContract::description).toList())
                    + " only");
        }
        Optional<Integer> major = plan.imageMajor();
        if (major.isPresent() && major.get() != binaries.major()) {
            throw new IllegalStateException(plan.source() + ": container " + plan.containerName() + " runs image "
                    + plan.image() + " but the local backend found PostgreSQL " + binaries.major() + " at " + binaries.bin()
                    + ". Install PostgreSQL " + major.get() + " (Debian: postgresql-" + major.get()
                    + ") and set harness.pg.bin to its bin directory.");
        }
        adapt("Image `" + plan.image() + "` is played by the local binaries " + binaries.version() + " (" + binaries.bin() + ").");
    }

    /** The pod's args with its container paths rewritten to the run's directories (each rewrite recorded). */
    List<String> rewrittenArgs(LocalPod pod) {
        return preparation.rewrittenArgs(pod);
    }

    private String socketDir(LocalPod pod) {
        return pod.paths.host(pod.plan().imageContract().socketDirectory()).toString();
    }

    // ----- processes ----------------------------------------------------------------------------------------

    LocalProcess startServerProcess(LocalPod pod, String what, List<String> command) {
        return startServerProcess(pod, what, command, pod.env);
    }

    private LocalProcess startServerProcess(LocalPod pod, String what, List<String> command, Map<String, String> env) {
        LocalProcess p = LocalProcess.start(pod.name() + " " + what, user, command, env, pod.root, pod.log, false,
                POD_GRACE);
        return resources.track(pod.name() + " " + what, p);
    }

    /** Runs a program in the pod to completion, without a terminal; {@code failOnError} throws on a non-zero exit. */
    ContainerResult runInPod(LocalPod pod, String what, List<String> command, Duration timeout, boolean failOnError) {
        ContainerResult r = run(pod, what, command, pod.env, timeout);
        if (failOnError && !r.succeeded()) {
            throw new IllegalStateException(pod.name() + ": " + what + " failed (exit " + r.exitCode() + "):\n" + r.tail(20));
        }
        return r;
    }

    /** Runs a program in the pod to completion with {@code env} (the pod's own, or what an entrypoint adds to it). */
    ContainerResult run(LocalPod pod, String what, List<String> command, Map<String, String> env, Duration timeout) {
        Path out = pod.root.resolve("run-" + System.nanoTime() + ".out");
        long start = System.nanoTime();
        LocalProcess p = LocalProcess.start(pod.name() + " " + what, user, command, env, pod.root, out, true,
                Duration.ofSeconds(5));
        resources.track(pod.name() + " " + what, p);
        Duration limit = waits.scaled(timeout);
        OptionalInt exit = p.waitFor(limit);
        if (exit.isEmpty()) {
            p.kill();
        }
        resources.releaseNow(p);
        String output = Secrets.redact(read(out));
        OfficialImageEntrypoint.append(pod.log, output);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new ContainerResult(pod.name() + " " + what, exit.orElse(-1), output, took, exit.isEmpty());
    }

    /** Waits for the pod's readiness probe (the manifest's exec command, else pg_isready) to pass. */
    void awaitReady(LocalPod pod, LocalProcess server, Duration timeout) {
        List<String> probe = Probes.readiness(pod.plan());
        List<String> onHost = probe.stream().map(pod.paths::rewrite).toList();
        waits.until(pod.name() + " ready (readiness probe " + String.join(" ", probe) + ")", timeout, Duration.ofMillis(50),
                () -> run(pod, "readiness probe", onHost, pod.env, Duration.ofSeconds(5)).succeeded(),
                () -> !server.isAlive(), () -> pod.logTail(30));
    }

    /**
     * Waits for an entrypoint's temporary server, which listens on its socket only: {@code pg_isready} on that socket,
     * as the images' entrypoints wait for it. The pod's readiness probe is not it: the sclorg image's probes TCP, which
     * that server never answers (images/sclorg-postgresql/CONTRACT.md, 16).
     */
    void awaitTemporaryServer(LocalPod pod, LocalProcess server, Duration timeout) {
        Map<String, String> env = new LinkedHashMap<>(pod.env);
        env.put("PGHOST", pod.paths.host(pod.plan().imageContract().socketDirectory()).toString());
        env.put("PGPORT", Integer.toString(pod.port));
        List<String> isReady = List.of(binaries.tool("pg_isready").toString(), "-q");
        waits.until(pod.name() + " temporary server answers on its socket (pg_isready)", timeout, Duration.ofMillis(50),
                () -> run(pod, "temporary server check", isReady, env, Duration.ofSeconds(5)).succeeded(),
                () -> !server.isAlive(), () -> pod.logTail(30));
    }

    // ----- helpers ------------------------------------------------------------------------------------------

    private static Map<ImageContract, EntrypointPlayer> players(EntrypointPlayer... players) {
        Map<ImageContract, EntrypointPlayer> out = new EnumMap<>(ImageContract.class);
        for (EntrypointPlayer p : players) {
            out.put(p.contract(), p);
        }
        return out;
    }

    private void adapt(String adaptation) {
        adaptations.add(adaptation, run == null ? null : run.root().toString(), "$RUN");
    }

    private static int freePort() {
        return FreePorts.loopback();
    }

    private static void setMode(Path p, String mode) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }
}

package io.github.pgreplication.harness.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.DeploymentPlan;
import io.github.pgreplication.harness.guide.MountPlan;
import io.github.pgreplication.harness.guide.MountSource;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.run.Secrets;
import io.github.pgreplication.harness.run.Waits;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every backend promises the features, checked the same way on each backend the machine can host: one
 * subclass per backend says how to make it and whether it can run here. Real servers, real JDBC connections,
 * real commands in the pods; the plans are minimal ContainerPlans of the official image's contract (POSTGRES_USER,
 * POSTGRES_PASSWORD, PGDATA on a claim), not the guide's manifests, so that a failure here is the backend's.
 */
public abstract class BackendContract {

    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration EXEC = Duration.ofSeconds(60);
    /** Where the claim is mounted, and PGDATA a subdirectory of it: a provisioned volume's root holds lost+found. */
    private static final String MOUNT = "/var/lib/postgresql/data";
    private static final String DATA = MOUNT + "/pgdata";
    private static final String CLAIM = "contract-data";
    private static final Map<String, String> LABELS = Map.of("app", "contract-db");

    protected final HarnessSettings settings = HarnessSettings.current();
    private ResourceManager resources;
    protected Waits waits;
    protected Backend backend;
    private String password;

    /** Skips (JUnit assumption) when this machine cannot host the backend, or fails when it was asked for and cannot. */
    protected abstract void assumeAvailable();

    protected abstract Backend create(HarnessSettings settings, ResourceManager resources, Waits waits);

    /** Fails (never skips) when a backend that must run here has problems, with its preflight's message. */
    protected static void requireNone(String backend, java.util.List<String> problems) {
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the " + backend + " backend cannot run here: " + problems);
        }
    }

    /** The PostgreSQL image the pods run: {@code postgres:<major>}, the major this backend has here. */
    protected abstract String image();

    @BeforeEach
    void startBackend() {
        assumeAvailable();
        resources = new ResourceManager("backend contract");
        waits = new Waits(settings.timeoutScale());
        password = Secrets.newPassword();
        backend = resources.track("backend under contract", create(settings, resources, waits));
    }

    @AfterEach
    void releaseEverything() {
        if (resources != null) {
            resources.close();
        }
    }

    // ----- the checks -----------------------------------------------------------------------------------------

    @Test
    void aStartedPodAcceptsARealJdbcConnectionAtItsEndpoint() throws SQLException {
        backend.claim(CLAIM);
        PostgresPod pod = backend.startPod(server("contract-db"), START);

        assertThat(pod.isRunning()).as("%s is running once startPod returns", pod.name()).isTrue();
        // No retry: startPod returns only once the real server accepts connections (not the image's temporary one).
        try (Connection c = Sql.connect(pod.endpoint(), "postgres", password)) {
            assertThat(Sql.scalar(c, "SELECT current_user")).isEqualTo("postgres");
            assertThat(Sql.scalar(c, "SELECT pg_is_in_recovery()")).isEqualTo(false);
        }
        assertThat(pod.labels()).containsAllEntriesOf(LABELS);
    }

    @Test
    void execSeesTheContainersEnvAndHasNoTerminal() {
        backend.claim(CLAIM);
        PostgresPod pod = backend.startPod(server("contract-db"), START);

        ContainerResult r = backend.exec(pod, List.of("/bin/sh", "-c",
                "echo \"user=$POSTGRES_USER extra=$CONTRACT_EXTRA\"; "
                        + "if [ -t 0 ] || [ -t 1 ]; then echo stdio-is-a-terminal; else echo stdio-not-a-terminal; fi; "
                        + "if (: </dev/tty) 2>/dev/null; then echo has-controlling-tty; else echo no-controlling-tty; fi; "
                        + "psql -U postgres -tA -c 'SELECT 40 + 2'"),
                Map.of("CONTRACT_EXTRA", "from-exec"), EXEC);

        assertThat(r.succeeded()).as("exec %s: exit %s, output:%n%s", r.what(), r.exitCode(), r.output()).isTrue();
        assertThat(r.output()).contains("user=postgres extra=from-exec")
                .contains("stdio-not-a-terminal").contains("no-controlling-tty")
                .contains("42"); // psql in the pod reaches the pod's own server, as `oc exec … psql` does
        assertThat(r.timedOut()).isFalse();
    }

    @Test
    void execReturnsAMegabyteOfOutputWholeEvenWhenThreeRunAtOnce() {
        backend.claim(CLAIM);
        PostgresPod pod = backend.startPod(server("contract-db"), START);
        // Étape 1.1's `oc exec … pg_dumpall` brings hundreds of kilobytes back through exec; scenarios run side by
        // side. On the offline cluster, fabric8's Vert.x transport once closed such an exec midway.
        int lines = 150_000;
        String expected = IntStream.rangeClosed(1, lines).mapToObj(Integer::toString)
                .collect(Collectors.joining("\n", "", "\n"));
        for (int round = 1; round <= 3; round++) {
            List<ContainerResult> results = IntStream.range(0, 3).parallel()
                    .mapToObj(i -> backend.exec(pod, List.of("seq", "1", Integer.toString(lines)), Map.of(), EXEC))
                    .toList();
            for (ContainerResult r : results) {
                assertThat(r.succeeded()).as("round %d, %s: exit %s, %d bytes", round, r.what(), r.exitCode(),
                        r.output().length()).isTrue();
                assertThat(r.output().length()).as("round %d: bytes of `seq 1 %d` through exec", round, lines)
                        .isEqualTo(expected.length());
                assertThat(r.output()).isEqualTo(expected);
            }
        }
    }

    @Test
    void aServiceRoutesToTheNewPodAfterARestart() throws SQLException {
        backend.applyService(service("contract-db"));
        backend.claim(CLAIM);
        ContainerPlan plan = server("contract-db");
        PostgresPod first = backend.startPod(plan, START);
        Timestamp firstStart;
        try (Connection c = Sql.connect(backend.service("contract-db"), "postgres", password)) {
            firstStart = (Timestamp) Sql.scalar(c, "SELECT pg_postmaster_start_time()");
            Sql.script(c, "CREATE TABLE contract_mark (v text); INSERT INTO contract_mark VALUES ('before the restart');");
        }

        backend.deletePod(first);
        assertThat(first.isRunning()).as("%s after deletePod", first.name()).isFalse();
        assertThatThrownBy(() -> backend.service("contract-db")).as("a Service without a running pod")
                .hasMessageContaining("contract-db").hasMessageContaining("no running pod");

        PostgresPod second = backend.startPod(plan, START);
        assertThat(second.name()).isNotEqualTo(first.name());
        Endpoint routed = backend.service("contract-db");
        Timestamp secondPodStart;
        try (Connection c = Sql.connect(second.endpoint(), "postgres", password)) {
            secondPodStart = (Timestamp) Sql.scalar(c, "SELECT pg_postmaster_start_time()");
        }
        try (Connection c = Sql.connect(routed, "postgres", password)) {
            Timestamp secondStart = (Timestamp) Sql.scalar(c, "SELECT pg_postmaster_start_time()");
            // the Service is reached as applications reach it (on a cluster, a port-forward to the Service, not to
            // the pod), so the server is compared, not the endpoint
            assertThat(secondStart).as("the server behind the Service is the new pod's").isAfter(firstStart)
                    .isEqualTo(secondPodStart);
            assertThat(Sql.scalar(c, "SELECT v FROM contract_mark")).as("the claim's data outlived the pod")
                    .isEqualTo("before the restart");
        }
    }

    /**
     * A DeploymentConfig's pod (the guide's master), as {@link Backend#startDeploymentConfig} runs it: a server reached
     * as a pod's is; {@code deletePod} stops it until it is started again; a new template is a new pod on the same claim.
     * Where the cluster serves DeploymentConfigs it rolls each template out as a version of its own, whose pod is named
     * after it; elsewhere the template runs as a pod.
     */
    @Test
    void aDeploymentConfigsPodStopsWhenDeletedAndANewTemplateIsANewPodOnTheSameClaim() throws SQLException {
        backend.claim(CLAIM);
        PostgresPod first = backend.startDeploymentConfig(config(server("contract-dc")), START);
        try (Connection c = Sql.connect(first.endpoint(), "postgres", password)) {
            Sql.script(c, "CREATE TABLE contract_mark (v text); INSERT INTO contract_mark VALUES ('version 1');");
        }
        backend.deletePod(first);
        assertThat(first.isRunning()).as("%s after deletePod", first.name()).isFalse();

        ContainerPlan changed = server("contract-dc", Map.of("CONTRACT_TEMPLATE", "2"));
        PostgresPod second = backend.startDeploymentConfig(config(changed), START);
        assertThat(second.name()).isNotEqualTo(first.name());
        if (backend.runsDeploymentConfigs()) {
            assertThat(List.of(first.name(), second.name())).as("each version's pod, named after its ReplicationController")
                    .satisfiesExactly(n -> assertThat(n).startsWith("contract-dc-1-"), n -> assertThat(n).startsWith("contract-dc-2-"));
        }
        try (Connection c = Sql.connect(second.endpoint(), "postgres", password)) {
            assertThat(Sql.scalar(c, "SELECT v FROM contract_mark")).as("the claim's data, in the new template's pod")
                    .isEqualTo("version 1");
        }
        assertThat(backend.exec(second, List.of("/bin/sh", "-c", "echo template=$CONTRACT_TEMPLATE"), Map.of(), EXEC).output())
                .contains("template=2");
    }

    private static DeploymentPlan config(ContainerPlan plan) {
        return new DeploymentPlan(plan.podName(), LABELS, 1, Optional.of("Recreate"), List.of(), List.of(plan));
    }

    /**
     * The Service's own routing is played: its port leads to the pod's targetPort, and a targetPort where no server
     * listens gives no connection (the Preflight's lint refuses such manifests; here the backend is asked directly).
     */
    @Test
    void aServiceWhoseTargetPortIsNotTheServersGivesNoConnection() throws SQLException {
        backend.applyService(service("contract-db"));
        backend.claim(CLAIM);
        backend.startPod(server("contract-db"), START);
        backend.applyService(service("contract-wrong-target", 5432, 5433));

        try (Connection c = Sql.connect(backend.service("contract-db"), "postgres", password)) {
            assertThat(Sql.scalar(c, "SELECT 40 + 2")).isEqualTo(42);
        }
        assertThatThrownBy(() -> {
            try (Connection c = Sql.connect(backend.service("contract-wrong-target"), "postgres", password)) {
                Sql.scalar(c, "SELECT 1");
            }
        }).as("a Service whose targetPort 5433 is not the server's port 5432").isInstanceOf(SQLException.class);
    }

    @Test
    void aClaimCannotBeDeletedWhileARunningPodMountsIt() throws SQLException {
        backend.claim(CLAIM);
        PostgresPod pod = backend.startPod(server("contract-db"), START);

        assertThatThrownBy(() -> backend.deleteClaim(CLAIM)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(CLAIM).hasMessageContaining(pod.name()).hasMessageContaining("still mounted");
        try (Connection c = Sql.connect(pod.endpoint(), "postgres", password)) {
            assertThat(Sql.scalar(c, "SELECT 1")).as("the refused deletion left the server alone").isEqualTo(1);
        }
        assertThat(onClaim("[ -e " + DATA + "/PG_VERSION ] && echo HAS-DATA || echo NO-DATA"))
                .as("the claim holds the server's data while it is mounted").isEqualTo("HAS-DATA");

        backend.deletePod(pod);
        backend.deleteClaim(CLAIM);
        backend.claim(CLAIM);
        assertThat(onClaim("[ -e " + DATA + "/PG_VERSION ] && echo HAS-DATA || echo NO-DATA"))
                .as("a claim of the same name after the deletion is a new, empty one").isEqualTo("NO-DATA");
    }

    /**
     * Where a backend copies claims, a copy is refused while a pod mounts the claim, and another backend's claim
     * made from it (another pair's, as the run makes them) starts a server on the same data; where it does not (a
     * cluster), it says so with an empty copy and every pair walks the whole procedure.
     */
    @Test
    void aClaimCopiedAtRestMakesAnotherPairsClaimWithItsData() throws SQLException {
        backend.claim(CLAIM);
        ContainerPlan plan = server("contract-db");
        PostgresPod pod = backend.startPod(plan, START);
        try (Connection c = Sql.connect(pod.endpoint(), "postgres", password)) {
            Sql.script(c, "CREATE TABLE contract_mark (v text); INSERT INTO contract_mark VALUES ('in the copy');");
        }
        backend.deletePod(pod);
        Optional<ClaimCopy> copy = backend.copyClaim(CLAIM);
        Assumptions.assumeTrue(copy.isPresent(), "backend " + backend.description().name()
                + " copies no claim: every pair walks the whole procedure");

        Backend other = resources.track("another pair's backend", create(settings, resources, waits));
        other.claimFrom(CLAIM, copy.get());
        PostgresPod restored = other.startPod(plan, START);
        try (Connection c = Sql.connect(restored.endpoint(), "postgres", password)) {
            assertThat(Sql.scalar(c, "SELECT v FROM contract_mark")).as("the restored claim's data").isEqualTo("in the copy");
        }
        PostgresPod again = backend.startPod(plan, START);
        assertThatThrownBy(() -> backend.copyClaim(CLAIM)).as("a copy of a mounted claim")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(again.name()).hasMessageContaining("at rest");
    }

    @Test
    void anInitContainerPastItsTimeoutReturnsATimedOutResultPromptly() {
        Duration timeout = Duration.ofSeconds(5);
        ContainerPlan sleeper = plan("contract-init", "sleeper", List.of("/bin/sh", "-c", "echo started; exec sleep 3600"),
                Map.of("POSTGRES_USER", "postgres"), List.of());

        long start = System.nanoTime();
        ContainerResult r = backend.runToCompletion(sleeper, timeout);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(r.timedOut()).as("%s: exit %s after %s ms, output:%n%s", r.what(), r.exitCode(), took.toMillis(),
                r.output()).isTrue();
        assertThat(r.succeeded()).isFalse();
        // Not a speed test: the command sleeps an hour, and the result must come at the timeout, not at its end.
        assertThat(took).as("returned at its timeout, not when the command ended")
                .isLessThan(waits.scaled(timeout).plus(Duration.ofMinutes(2)));
        assertThat(r.took()).isGreaterThanOrEqualTo(waits.scaled(timeout).minusMillis(1));
    }

    /**
     * The failure hook's evidence: after a pod has started and an init container has run (and been removed, where the
     * backend removes ended containers), every file is under the directory given, the init container's output is there
     * whole (its first line as well as its last, beyond any tail), the server's output too, each pod is described (its
     * name, its image, its env's names), and no file holds a secret of the run, though the init container printed one.
     */
    @Test
    void collectEvidenceWritesEveryContainersWholeLogAndADescriptionOfEachPodWithoutASecret(@TempDir Path dir)
            throws IOException, SQLException {
        backend.claim(CLAIM);
        PostgresPod pod = backend.startPod(server("contract-db"), START);
        try (Connection c = Sql.connect(pod.endpoint(), "postgres", password)) {
            // into the server's own output, which no redaction has seen yet
            Sql.script(c, "DO $$ BEGIN RAISE LOG 'evidence-secret %', '" + password + "'; END $$;");
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("POSTGRES_USER", "postgres");
        env.put("POSTGRES_PASSWORD", password);
        ContainerResult init = backend.runToCompletion(plan("contract-db", "evidence-init", List.of("/bin/sh", "-c",
                "echo FIRST-LINE-OF-THE-INIT; seq 1 5000; echo \"printed: $POSTGRES_PASSWORD\"; echo LAST-LINE-OF-THE-INIT"),
                env, List.of()), EXEC);
        assertThat(init.succeeded()).as("%s: exit %s, output:%n%s", init.what(), init.exitCode(), init.output()).isTrue();

        Path evidence = dir.resolve("evidence");
        List<Path> files = backend.collectEvidence(evidence);

        assertThat(files).as("the files collectEvidence says it wrote").isNotEmpty()
                .allSatisfy(f -> assertThat(f.toAbsolutePath().normalize()).startsWith(evidence.toAbsolutePath().normalize())
                        .isRegularFile());
        Map<Path, String> texts = new LinkedHashMap<>();
        for (Path f : files) {
            texts.put(f, Files.readString(f, StandardCharsets.UTF_8));
        }
        assertThat(texts).as("no file holds a secret of the run (Secrets.leaks)")
                .allSatisfy((f, text) -> assertThat(Secrets.leaks(text)).as("%s holds a secret", f).isFalse());
        assertThat(texts.values()).as("no file holds the superuser's password").noneMatch(t -> t.contains(password));
        assertThat(texts.values()).as("the init container's whole output, its first line beyond any tail")
                .anyMatch(t -> t.contains("FIRST-LINE-OF-THE-INIT") && t.contains("\n2500\n") && t.contains("LAST-LINE-OF-THE-INIT")
                        && t.contains("printed: ****"));
        assertThat(texts.values()).as("the server's output, redacted").anyMatch(t -> t.contains("database system is ready to accept "
                + "connections") && t.contains("evidence-secret ****"));
        assertThat(texts.values()).as("a description of the server's pod: its name, its image, its env's names")
                .anyMatch(t -> t.contains(pod.name()) && t.contains(image()) && t.contains("POSTGRES_USER")
                        && t.contains("POSTGRES_PASSWORD"));
        assertThat(texts.values()).as("a description of the init container: its name, its image, its env's names")
                .anyMatch(t -> t.contains("evidence-init") && t.contains(image()) && t.contains("POSTGRES_USER"));
    }

    // ----- minimal plans ----------------------------------------------------------------------------------------

    /** A pod of the official image's contract: superuser and password from the env, PGDATA on the claim. */
    private ContainerPlan server(String deployment) {
        return server(deployment, Map.of());
    }

    private ContainerPlan server(String deployment, Map<String, String> extraEnv) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("POSTGRES_USER", "postgres");
        env.put("POSTGRES_PASSWORD", password);
        env.put("PGDATA", DATA);
        env.putAll(extraEnv);
        return plan(deployment, "postgresql", List.of(), env, List.of(new MountPlan(MOUNT, "data", new MountSource.Claim(CLAIM))));
    }

    private ContainerPlan plan(String deployment, String container, List<String> command, Map<String, String> env,
                               List<MountPlan> mounts) {
        return new ContainerPlan(deployment, container, image(), command, List.of(), env, mounts, Optional.empty(), Optional.empty(), LABELS,
                "contract test " + deployment + "/" + container);
    }

    /** Runs a shell command to completion in a container that mounts the claim; its output's last line. */
    private String onClaim(String script) {
        ContainerResult r = backend.runToCompletion(plan("contract-check", "check", List.of("/bin/sh", "-c", script),
                Map.of("POSTGRES_USER", "postgres"), List.of(new MountPlan(MOUNT, "data", new MountSource.Claim(CLAIM)))), EXEC);
        assertThat(r.succeeded()).as("%s: exit %s, output:%n%s", r.what(), r.exitCode(), r.output()).isTrue();
        return r.tail(1).trim();
    }

    private static Service service(String name) {
        return service(name, 5432, 5432);
    }

    private static Service service(String name, int port, int targetPort) {
        return new ServiceBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withSelector(LABELS).addNewPort().withName("postgresql").withPort(port)
                .withNewTargetPort(targetPort).endPort().endSpec().build();
    }
}

package io.github.pgreplication.harness.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.MountPlan;
import io.github.pgreplication.harness.guide.MountSource;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.run.Secrets;
import io.github.pgreplication.harness.run.Waits;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The same {@code oc} lines on each backend, in its {@link Backend#clusterShell()}: on a cluster the cluster's CLI,
 * elsewhere the backend's own {@code oc}; the same exit status, output and effect expected of each, those kubectl
 * 1.20 gives on the offline cluster (the reference: a difference there is a bug of the backends' {@code oc}). The
 * effect of a line is checked over JDBC, not taken from its exit status: a heredoc without {@code -i} exits 0 and
 * runs nothing. One backend and one server pod for the class; a pod deleted by a check is one of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class OcContract {

    private static final Duration START = Duration.ofSeconds(120);
    /** A line's limit: `oc delete pod` waits out the pod's 30 s grace period, and a loaded node took more than 60 s. */
    private static final Duration LINE = Duration.ofSeconds(120);
    /**
     * Where the emptyDir is mounted, and PGDATA a subdirectory of it: under OpenShift's restricted-v2 (the containers
     * backend's default) the pod's UID does not own an emptyDir's root ({@code root:<fsGroup>}), and initdb's chmod of it
     * is refused. A path the image does not have: Docker's tmpfs (the containers backend's emptyDir under
     * harness.containers.security=image) takes the mode of the image's directory at its path, root's 0700 at the image's
     * PGDATA, where a kubelet's emptyDir is 0777.
     */
    private static final String MOUNT = "/var/lib/postgresql/oc-contract";
    private static final String DATA = MOUNT + "/pgdata";
    private static final String DEPLOYMENT = "oc-contract-db";
    private static final String SECRET = "oc-contract-secret";
    private static final Pattern OUTCOME = Pattern.compile("@@status=(\\d+)@@\\n(.*)@@stderr@@\\n(.*)@@end@@\\n", Pattern.DOTALL);

    protected final HarnessSettings settings = HarnessSettings.current();
    private ResourceManager resources;
    protected Backend backend;
    private ClusterShell shell;
    private PostgresPod pod;
    private String password;

    /** Skips (JUnit assumption) when this machine cannot host the backend, or fails when it was asked for and cannot. */
    protected abstract void assumeAvailable();

    protected abstract Backend create(HarnessSettings settings, ResourceManager resources, Waits waits);

    /** The PostgreSQL image the pods run. */
    protected abstract String image();

    /** Whether {@code oc} is the backend's own (whose unprovided verbs exit {@link ClusterShell#NOT_PROVIDED}). */
    protected abstract boolean ownOc();

    /** What one {@code oc} line did: its exit status, its standard output and its standard error, apart. */
    protected record Outcome(int status, String stdout, String stderr) {
    }

    @BeforeAll
    void startBackendAndPod() {
        assumeAvailable();
        resources = new ResourceManager("oc contract");
        Waits waits = new Waits(settings.timeoutScale());
        password = Secrets.newPassword();
        backend = resources.track("backend under the oc contract", create(settings, resources, waits));
        pod = backend.startPod(server(DEPLOYMENT), START);
        backend.applySecret(SECRET, Map.of("password", password));
        shell = backend.clusterShell().orElseThrow(() -> new AssertionError("backend " + backend.description().name()
                + " gives no shell for the guide's oc lines"));
    }

    @AfterAll
    void releaseEverything() {
        if (resources != null) {
            resources.close();
        }
    }

    // ----- the checks -----------------------------------------------------------------------------------------

    @Test
    void aSelectorsJsonpathNamesThePodAndExecReachesIt() {
        Outcome named = oc("oc get pods -l name=" + DEPLOYMENT + " -o jsonpath='{.items[0].metadata.name}'");
        assertThat(named).isEqualTo(new Outcome(0, pod.name(), ""));

        Outcome reached = oc("POD=$(oc get pods -l name=" + DEPLOYMENT + " -o jsonpath='{.items[0].metadata.name}'); "
                + "oc exec \"$POD\" -- psql -U postgres -tAc 'SELECT 40 + 2'");
        assertThat(reached).isEqualTo(new Outcome(0, "42\n", ""));

        assertThat(oc("oc get pods -l name=" + DEPLOYMENT + " -o name")).isEqualTo(new Outcome(0, "pod/" + pod.name() + "\n", ""));
        assertThat(oc("oc wait --for=condition=ready pod -l name=" + DEPLOYMENT + " --timeout=30s"))
                .isEqualTo(new Outcome(0, "pod/" + pod.name() + " condition met\n", ""));
        assertThat(oc("oc get pods -l 'name in (" + DEPLOYMENT + ",other),app!=none' -o jsonpath='{range .items[*]}"
                + "{.metadata.name}{\"\\n\"}{end}'")).isEqualTo(new Outcome(0, pod.name() + "\n", ""));
        Outcome table = oc("oc get pods -l name=" + DEPLOYMENT);
        assertThat(table.status()).isZero();
        assertThat(table.stdout()).matches("NAME +READY +STATUS +RESTARTS +AGE\n" + Pattern.quote(pod.name())
                + " +1/1 +Running +0 +\\d+[smh]\\S*\n");
    }

    @Test
    void aSelectorThatMatchesNothing() {
        assertThat(oc("oc get pods -l name=no-such-template")).isEqualTo(new Outcome(0, "",
                "No resources found in " + shell.project() + " namespace.\n"));
        assertThat(oc("oc wait --for=condition=ready pod -l name=no-such-template --timeout=5s"))
                .isEqualTo(new Outcome(1, "", "error: no matching resources found\n"));
        Outcome first = oc("oc get pods -l name=no-such-template -o jsonpath='{.items[0].metadata.name}'");
        assertThat(first.status()).isEqualTo(1);
        assertThat(first.stdout()).isEmpty();
        assertThat(first.stderr()).startsWith("error: error executing jsonpath \"{.items[0].metadata.name}\": Error executing "
                + "template: array index out of bounds: index 0, length 0. Printing more information for debugging the "
                + "template:\n\ttemplate was:\n\t\t{.items[0].metadata.name}\n\tobject given to jsonpath engine was:\n\t\t"
                + "map[string]interface {}{\"apiVersion\":\"v1\", \"items\":[]interface {}{}, \"kind\":\"List\", \"metadata\":"
                + "map[string]interface {}{\"resourceVersion\":\"\", \"selfLink\":\"\"}}\n");
    }

    /** The guide's {@code oc exec $MASTER_POD -- psql -U postgres <<EOF}: without {@code -i} psql reads nothing. */
    @Test
    void aHeredocWithoutDashIIsNotPassedAndRunsNothing() throws SQLException {
        Outcome withoutI = oc("oc exec " + pod.name() + " -- psql -U postgres <<EOF\nCREATE TABLE oc_without_i (i int);\nEOF");
        assertThat(withoutI).as("the heredoc's line, as it exits").isEqualTo(new Outcome(0, "", ""));
        assertThat(tableExists("oc_without_i")).as("the heredoc's CREATE TABLE ran").isFalse();

        Outcome withI = oc("oc exec -i " + pod.name() + " -- psql -U postgres <<EOF\nCREATE TABLE oc_with_i (i int);\nEOF");
        assertThat(withI).isEqualTo(new Outcome(0, "CREATE TABLE\n", ""));
        assertThat(tableExists("oc_with_i")).as("the heredoc's CREATE TABLE ran").isTrue();

        assertThat(oc("echo from-stdin | oc exec " + pod.name() + " -- cat")).as("a pipe without -i")
                .isEqualTo(new Outcome(0, "", ""));
        assertThat(oc("echo from-stdin | oc exec -i " + pod.name() + " -- cat")).as("a pipe with -i")
                .isEqualTo(new Outcome(0, "from-stdin\n", ""));
    }

    @Test
    void noTerminalIsAllocatedWithoutARealOne() {
        assertThat(oc("oc exec -t " + pod.name() + " -- sh -c 'tty; echo x'")).as("-t alone")
                .isEqualTo(new Outcome(0, "not a tty\nx\n", ""));
        assertThat(oc("oc exec -it " + pod.name() + " -- sh -c 'tty; echo x'")).as("-it")
                .isEqualTo(new Outcome(0, "not a tty\nx\n", "Unable to use a TTY - input is not a terminal or the right kind of file\n"));
        assertThat(oc("echo hi | oc exec -i -t " + pod.name() + " -- sh -c 'tty; cat'")).as("-i -t with a pipe")
                .isEqualTo(new Outcome(0, "not a tty\nhi\n", "Unable to use a TTY - input is not a terminal or the right kind of file\n"));
    }

    @Test
    void theCommandsExitStatusIsOcs() {
        assertThat(oc("oc exec " + pod.name() + " -- sh -c 'exit 3'"))
                .isEqualTo(new Outcome(3, "", "command terminated with exit code 3\n"));
        assertThat(oc("oc exec " + pod.name() + " -c postgresql -- sh -c 'echo out; echo err >&2; exit 4'"))
                .isEqualTo(new Outcome(4, "out\n", "err\ncommand terminated with exit code 4\n"));
        assertThat(oc("oc exec " + pod.name() + " -c no-such-container -- true")).isEqualTo(new Outcome(1, "",
                "Error from server (BadRequest): container no-such-container is not valid for pod " + pod.name() + "\n"));
    }

    /** The guide's {@code oc exec … -- ping} and {@code -- iostat} (E25, E34): a program the image does not have. */
    @Test
    void aProgramTheImageLacksIsNotStarted() {
        Outcome missing = oc("oc exec " + pod.name() + " -- no-such-program -x 1");
        assertThat(missing.status()).as(missing.toString()).isEqualTo(1);
        assertThat(missing.stdout()).isEmpty();
        assertThat(missing.stderr()).startsWith("error: Internal error occurred: error executing command in container: "
                + "failed to exec in container: ").contains("exec: \"no-such-program\": executable file not found in $PATH");
    }

    @Test
    void anUnknownPodIsNotFound() {
        String notFound = "Error from server (NotFound): pods \"no-such-pod\" not found\n";
        assertThat(oc("oc exec no-such-pod -- true")).isEqualTo(new Outcome(1, "", notFound));
        assertThat(oc("oc exec -i no-such-pod -- true <<EOF\nSELECT 1;\nEOF")).isEqualTo(new Outcome(1, "", notFound));
        assertThat(oc("oc get pods no-such-pod")).isEqualTo(new Outcome(1, "", notFound));
        assertThat(oc("oc logs no-such-pod")).isEqualTo(new Outcome(1, "", notFound));
        assertThat(oc("oc get secret no-such-secret -o jsonpath='{.data.password}'"))
                .isEqualTo(new Outcome(1, "", "Error from server (NotFound): secrets \"no-such-secret\" not found\n"));
    }

    /** The Secret's value as the cluster gives it (base64), compared by digest: the value itself is in no output. */
    @Test
    void aSecretsKeyIsItsBase64() throws NoSuchAlgorithmException {
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(password.getBytes(StandardCharsets.UTF_8)));
        assertThat(oc("oc get secret " + SECRET + " -o jsonpath='{.data.password}' | base64 -d | sha256sum | cut -d' ' -f1"))
                .isEqualTo(new Outcome(0, digest + "\n", ""));
        assertThat(oc("oc get secret " + SECRET + " -o jsonpath='{.data.no-such-key}'")).isEqualTo(new Outcome(0, "", ""));
    }

    /**
     * « Permissions secret »'s {@code oc get secret -o yaml} and the diagnostic's {@code oc describe pod}: the Secret's
     * top-level keys and its data's key (never its value), the pod's name, namespace, status and Ready condition.
     */
    @Test
    void aSecretsYamlAndAPodsDescription() {
        assertThat(oc("oc get secret " + SECRET + " -o yaml | grep -E '^[a-zA-Z]+:|^  password: ' | sed 's/: .*/:/'"))
                .isEqualTo(new Outcome(0, "apiVersion:\ndata:\n  password:\nkind:\nmetadata:\ntype:\n", ""));
        assertThat(oc("oc describe pod " + pod.name() + " | grep -E '^(Name|Namespace|Status):|^  Ready +True *$' | tr -s ' '"))
                .isEqualTo(new Outcome(0, "Name: " + pod.name() + "\nNamespace: " + shell.project() + "\nStatus: Running\n"
                        + " Ready True \n", ""));
        assertThat(oc("oc describe pod no-such-pod")).isEqualTo(new Outcome(1, "",
                "Error from server (NotFound): pods \"no-such-pod\" not found\n"));
    }

    /**
     * « Lag de réplication élevé »'s {@code oc top pod}: once the figures are there (on a cluster, after metrics-server's
     * first scrapes), one row of the pod, its CPU in millicores and more than 1 MiB of memory under kubectl's header.
     */
    @Test
    void topGivesThePodsCpuAndMemory() {
        Outcome[] last = new Outcome[1];
        new Waits(settings.timeoutScale()).until("oc top pod " + pod.name() + " has figures", Duration.ofSeconds(120),
                Duration.ofSeconds(2), () -> (last[0] = oc("oc top pod " + pod.name())).status() == 0, () -> String.valueOf(last[0]));
        assertThat(last[0].stdout()).matches("NAME +CPU\\(cores\\) +MEMORY\\(bytes\\) *\n"
                + java.util.regex.Pattern.quote(pod.name()) + " +\\d+m +[1-9]\\d*Mi *\n");
        assertThat(oc("oc top pod no-such-pod")).isEqualTo(new Outcome(1, "",
                "Error from server (NotFound): podmetrics.metrics.k8s.io \"no-such-pod\" not found\n"));
    }

    @Test
    void logsAreTheContainersOutput() {
        Outcome logs = oc("oc logs " + pod.name() + " | grep -c 'database system is ready to accept connections'");
        assertThat(logs.status()).isZero();
        assertThat(Integer.parseInt(logs.stdout().trim())).isPositive();
        assertThat(oc("oc logs " + pod.name() + " -c no-such-container"))
                .isEqualTo(new Outcome(1, "", "error: container no-such-container is not valid for pod " + pod.name() + "\n"));
    }

    /**
     * The deletion's effect is checked on the server, not on the harness's record of the pod (on a cluster, what the
     * harness did to a pod: a deletion by {@code oc} is not its own).
     */
    @Test
    void deletingAPodRemovesIt() throws SQLException {
        PostgresPod victim = backend.startPod(server("oc-contract-victim"), START);
        try (Connection c = Sql.connect(victim.endpoint(), "postgres", password)) {
            assertThat(Sql.scalar(c, "SELECT 1")).as("the pod's server before its deletion").isEqualTo(1);
        }
        assertThat(oc("oc delete pod " + victim.name())).isEqualTo(new Outcome(0, "pod \"" + victim.name() + "\" deleted\n", ""));
        assertThat(oc("oc get pods -l name=oc-contract-victim")).isEqualTo(new Outcome(0, "",
                "No resources found in " + shell.project() + " namespace.\n"));
        assertThatThrownBy(() -> {
            try (Connection c = Sql.connect(victim.endpoint(), "postgres", password)) {
                Sql.scalar(c, "SELECT 1");
            }
        }).as("a connection to the deleted pod's server").isInstanceOf(Exception.class);
    }

    /**
     * « Rollback du Slave »'s deletions of a Service and a claim: named by {@code get -o name} (two types at once),
     * each « deleted », then gone ({@code --ignore-not-found} prints nothing), NotFound after; a Deployment never applied
     * is NotFound.
     */
    @Test
    void deletingAServiceAndAClaimRemovesThem() {
        String service = "oc-contract-svc";
        String claim = "oc-contract-claim";
        backend.applyService(new ServiceBuilder().withNewMetadata().withName(service).endMetadata().withNewSpec()
                .addToSelector("name", DEPLOYMENT).addNewPort().withPort(5432).withNewTargetPort(5432).endPort().endSpec().build());
        backend.claim(claim);
        String both = "service/" + service + " pvc/" + claim;
        assertThat(oc("oc get " + both + " -o name")).isEqualTo(new Outcome(0, "service/" + service + "\n"
                + "persistentvolumeclaim/" + claim + "\n", ""));
        assertThat(oc("oc delete service " + service)).isEqualTo(new Outcome(0, "service \"" + service + "\" deleted\n", ""));
        assertThat(oc("oc delete pvc " + claim)).isEqualTo(new Outcome(0, "persistentvolumeclaim \"" + claim + "\" deleted\n", ""));
        assertThat(oc("oc get " + both + " --ignore-not-found -o name")).isEqualTo(new Outcome(0, "", ""));
        assertThat(oc("oc get svc/" + service + " -o name")).isEqualTo(new Outcome(1, "",
                "Error from server (NotFound): services \"" + service + "\" not found\n"));
        assertThat(oc("oc delete deployment no-such-deployment")).isEqualTo(new Outcome(1, "",
                "Error from server (NotFound): deployments.apps \"no-such-deployment\" not found\n"));
    }

    @Test
    void aVerbOrFlagNotProvidedIsReportedAsNotRun() {
        Assumptions.assumeTrue(ownOc(), "the cluster's oc provides every verb");
        String backendName = backend.description().name();
        assertThat(oc("oc scale deployment/" + DEPLOYMENT + " --replicas=2")).isEqualTo(new Outcome(ClusterShell.NOT_PROVIDED, "",
                "oc: scale is not provided by the " + backendName + " backend\n"));
        assertThat(oc("oc get svc")).isEqualTo(new Outcome(ClusterShell.NOT_PROVIDED, "",
                "oc: get svc other than by name with -o name is not provided by the " + backendName + " backend\n"));
        assertThat(oc("oc get pods -w")).isEqualTo(new Outcome(ClusterShell.NOT_PROVIDED, "",
                "oc: get -w is not provided by the " + backendName + " backend\n"));
        assertThat(oc("oc logs " + pod.name() + " -f")).isEqualTo(new Outcome(ClusterShell.NOT_PROVIDED, "",
                "oc: logs -f is not provided by the " + backendName + " backend\n"));
    }

    // ----- helpers ----------------------------------------------------------------------------------------------

    /** Runs {@code line} in the backend's shell, its standard output and error kept apart. */
    protected Outcome oc(String line) {
        String script = "o=$(mktemp); e=$(mktemp)\n{\n" + line + "\n} >\"$o\" 2>\"$e\"\ns=$?\n"
                + "printf '@@status=%s@@\\n' \"$s\"; cat \"$o\"; printf '@@stderr@@\\n'; cat \"$e\"; printf '@@end@@\\n'; "
                + "rm -f \"$o\" \"$e\"\n";
        ContainerResult r = shell.run(script, LINE);
        assertThat(r.timedOut()).as("`%s` timed out; output: %s", line, r.output()).isFalse();
        Matcher m = OUTCOME.matcher(r.output());
        assertThat(m.find()).as("the outcome of `%s` in: %s", line, r.output()).isTrue();
        return new Outcome(Integer.parseInt(m.group(1)), m.group(2), m.group(3));
    }

    private boolean tableExists(String table) throws SQLException {
        try (Connection c = Sql.connect(pod.endpoint(), "postgres", password)) {
            return Sql.scalar(c, "SELECT to_regclass('public." + table + "') IS NOT NULL").equals(true);
        }
    }

    /** A server of the official image's contract, its data in an emptyDir: claims are the backend contract's subject. */
    private ContainerPlan server(String deployment) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("POSTGRES_USER", "postgres");
        env.put("POSTGRES_PASSWORD", password);
        env.put("PGDATA", DATA);
        return new ContainerPlan(deployment, "postgresql", image(), List.of(), List.of(), env,
                List.of(new MountPlan(MOUNT, "data", new MountSource.EmptyDir("data"))), Optional.empty(), Optional.empty(),
                Map.of("name", deployment, "app", "oc-contract"), "oc contract " + deployment);
    }
}

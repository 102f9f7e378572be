package io.github.pgreplication.harness.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.run.HostTool;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oc server and its program without a backend: a target whose pods' commands are processes of this host
 * (real ones, run as the backend would run them: stdin a file or /dev/null, the outputs apart). What the contract
 * checks on each backend is not repeated here; this checks the exchange, the program and what is left behind.
 */
class OcServerTest {

    private static final Duration LINE = Duration.ofSeconds(30);

    /** A pod of the host: its commands run here. */
    private static final class HostPod extends AbstractPod {
        HostPod(String name) {
            super(name, new ContainerPlan("db", "postgresql", "postgres:15", List.of(), List.of(), Map.of(), List.of(),
                    Optional.empty(), Optional.empty(), Map.of("name", "db"), "test"));
        }

        @Override
        public Endpoint endpoint() {
            return new Endpoint("127.0.0.1", 1);
        }

        @Override
        public boolean isRunning() {
            return true;
        }

        @Override
        public String logTail(int lines) {
            return "";
        }

        @Override
        public boolean containerLogContains(String text) {
            return false;
        }
    }

    private final List<HostPod> pods = new CopyOnWriteArrayList<>(List.of(new HostPod("db-1")));
    private final OcSecrets secrets = new OcSecrets();
    private final Set<String> services = new ConcurrentSkipListSet<>(Set.of("db"));
    private final Set<String> claims = new ConcurrentSkipListSet<>(Set.of("db-data"));
    private OcServer server;
    private OcShell shell;

    @BeforeEach
    void start(@TempDir Path runDir) {
        OcTarget target = new OcTarget() {
            @Override
            public String backendName() {
                return "test";
            }

            @Override
            public String project() {
                return "pgrh-test";
            }

            @Override
            public List<? extends AbstractPod> pods() {
                return pods;
            }

            @Override
            public Optional<Integer> exec(PostgresPod pod, List<String> command, Optional<Path> stdin, Path stdout,
                                          Path stderr, Duration timeout) {
                ProcessBuilder pb = new ProcessBuilder(command)
                        .redirectInput(stdin.map(Path::toFile).orElse(new File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
                        .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
                try {
                    Process p = pb.start();
                    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                        p.destroyForcibly();
                        return Optional.empty();
                    }
                    return Optional.of(p.exitValue());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }

            @Override
            public String containerLog(PostgresPod pod) {
                return "line 1\nline 2\nline 3\n";
            }

            @Override
            public void deletePod(PostgresPod pod) {
                pods.remove(pod);
            }

            @Override
            public List<OcSecrets.Secret> secrets() {
                return secrets.all();
            }

            @Override
            public Optional<Usage> usage(PostgresPod pod) {
                return Optional.of(new Usage(Duration.ZERO, 30L * 1024 * 1024 + 1));
            }

            @Override
            public boolean hasService(String name) {
                return services.contains(name);
            }

            @Override
            public void deleteService(String name) {
                services.remove(name);
            }

            @Override
            public boolean hasClaim(String name) {
                return claims.contains(name);
            }

            @Override
            public void deleteClaim(String name) {
                claims.remove(name);
            }
        };
        server = new OcServer(target, Optional.of(runDir));
        shell = server.newShell();
    }

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void theProgramPassesShellcheck() {
        HostTool.Result r = HostTool.require("shellcheck", "shellcheck").run(shell.program().getParent(), LINE,
                "--shell=bash", shell.program().toString());
        assertThat(r.exitCode()).as("shellcheck of the oc program:\n%s", r.output()).isZero();
    }

    @Test
    void stdinOnlyWithDashIAndTheExitStatusPassedThrough() {
        ContainerResult r = shell.run("""
                oc exec db-1 -- cat <<EOF
                not passed
                EOF
                echo "without -i: $?"
                printf 'a\\0b\\n' | oc exec -i db-1 -- od -c | head -1
                oc exec db-1 -- sh -c 'echo to-stderr >&2; exit 7'; echo "status: $?"
                oc exec -t db-1 -- sh -c 'tty'; echo "tty: $?"
                oc exec db-1 -- printf '%s|' 'a b' "c'd" ''; echo
                """, LINE);
        assertThat(r.output()).isEqualTo("""
                without -i: 0
                0000000   a  \\0   b  \\n
                to-stderr
                command terminated with exit code 7
                status: 7
                not a tty
                command terminated with exit code 1
                tty: 1
                a b|c'd||
                """);
    }

    /** A Secret's key that is no password (a user name) is shown: applying a Secret adds nothing to the redaction. */
    @Test
    void getLogsDeleteAndProject() {
        secrets.apply("s", Map.of("username", "replicator"));
        ContainerResult r = shell.run("""
                oc get pods -l name=db -o jsonpath='{.items[0].metadata.name}'; echo
                oc get pod/db-1 -o name
                oc get secret s -o jsonpath='{.data.username}'; echo
                oc get secret s -o jsonpath='{.data.username}' | base64 -d; echo
                oc logs db-1 --tail=1
                oc project
                oc project other; oc get pods; oc exec db-1 -- true; echo "elsewhere: $?"; oc get pods -n pgrh-test -o name
                oc project pgrh-test >/dev/null
                oc delete pod db-1; oc get pods
                """, LINE);
        assertThat(r.output()).isEqualTo("""
                db-1
                pod/db-1
                cmVwbGljYXRvcg==
                replicator
                line 3
                Using project "pgrh-test" on server "test backend".
                Now using project "other" on server "test backend".
                No resources found in other namespace.
                Error from server (NotFound): pods "db-1" not found
                elsewhere: 1
                pod/db-1
                pod "db-1" deleted
                No resources found in pgrh-test namespace.
                """);
    }

    /**
     * {@code oc logs -c} of an init container the pod ran after answers with its output, as kubectl does; of one it
     * did not run, kubectl's refusal. Without {@code -c}, the pod's own container.
     */
    @Test
    void logsOfAnInitContainerThePodRanAfter() {
        pods.get(0).ranAfter("setup-slave", new ContainerResult("setup-slave", 0, "base backup done\n", Duration.ZERO, false));
        ContainerResult r = shell.run("""
                oc logs db-1 -c setup-slave; echo "init: $?"
                oc logs db-1 -c postgresql --tail=1; echo "main: $?"
                oc logs db-1 -c other; echo "other: $?"
                """, LINE);
        assertThat(r.output()).isEqualTo("""
                base backup done
                init: 0
                line 3
                main: 0
                error: container other is not valid for pod db-1
                other: 1
                """);
    }

    /**
     * « Rollback du Slave »'s deletions: a Deployment is known by its pods and deleting it deletes them; a Service and a
     * claim are named by {@code get -o name}, several types at once, and gone once deleted; what is not there is
     * NotFound, or nothing with {@code --ignore-not-found}. Listing them as a table is not provided.
     */
    @Test
    void deploymentsServicesAndClaimsAreNamedAndDeleted() {
        ContainerResult r = shell.run("""
                oc get deployment/db service/db pvc/db-data -o name; echo "get: $?"
                oc delete deployment db; echo "deployment: $?"
                oc delete service db; echo "service: $?"
                oc delete pvc db-data; echo "pvc: $?"
                oc get deployment/db service/db pvc/db-data --ignore-not-found -o name; echo "gone: $?"
                oc get pods -o name; echo "pods: $?"
                oc delete deployment db 2>&1; echo "again: $?"
                oc get svc/db -o name 2>&1; echo "not found: $?"
                oc get pvc 2>&1; echo "table: $?"
                """, LINE);
        assertThat(r.output()).isEqualTo("""
                deployment.apps/db
                service/db
                persistentvolumeclaim/db-data
                get: 0
                deployment.apps "db" deleted
                deployment: 0
                service "db" deleted
                service: 0
                persistentvolumeclaim "db-data" deleted
                pvc: 0
                gone: 0
                pods: 0
                Error from server (NotFound): deployments.apps "db" not found
                again: 1
                Error from server (NotFound): services "db" not found
                not found: 1
                oc: get pvc other than by name with -o name is not provided by the test backend
                table: 125
                """);
    }

    /**
     * « Le slave ne démarre pas »'s diagnostic and « Permissions secret »: {@code describe pod} says how the init
     * container ended, the pod's status and conditions; {@code get secret -o yaml} prints the Secret, keys sorted, its
     * data base64 under {@code data:}.
     */
    @Test
    void describeAndYamlSayWhatTheDiagnosticReads() {
        pods.get(0).ranAfter("setup-slave", new ContainerResult("setup-slave", 0, "base backup done\n", Duration.ZERO, false));
        secrets.apply("db-secret", Map.of("password", "s3cret", "user", "replicator"));
        ContainerResult r = shell.run("oc describe pod db-1; oc get secret db-secret -o yaml | grep -v creationTimestamp", LINE);
        assertThat(r.output()).isEqualTo("""
                Name:         db-1
                Namespace:    pgrh-test
                Labels:       name=db
                Annotations:  <none>
                Status:       Running
                Init Containers:
                  setup-slave:
                    State:          Terminated
                      Reason:       Completed
                      Exit Code:    0
                    Ready:          True
                    Restart Count:  0
                Containers:
                  postgresql:
                    Image:          postgres:15
                    State:          Running
                    Ready:          True
                    Restart Count:  0
                Conditions:
                  Type              Status
                  Initialized       True\s
                  Ready             True\s
                  ContainersReady   True\s
                apiVersion: v1
                data:
                  password: czNjcmV0
                  user: cmVwbGljYXRvcg==
                kind: Secret
                metadata:
                  name: db-secret
                  namespace: pgrh-test
                type: Opaque
                """);
    }

    /** {@code oc top pod}: kubectl's table, every column padded, CPU in millicores and the working set in MiB. */
    @Test
    void topPrintsEachPodsCpuAndMemory() {
        ContainerResult r = shell.run("oc top pod db-1; oc top pod -l name=db; oc top pod -l name=none; echo \"none: $?\"", LINE);
        assertThat(r.output()).isEqualTo("""
                NAME   CPU(cores)   MEMORY(bytes)  \s
                db-1   0m           30Mi           \s
                NAME   CPU(cores)   MEMORY(bytes)  \s
                db-1   0m           30Mi           \s
                No resources found in pgrh-test namespace.
                none: 0
                """);
    }

    @Test
    void aRequestWithoutTheTokenIsRefusedAndTheTokenIsInNoOutput() throws IOException {
        String program = Files.readString(shell.program());
        String token = program.replaceAll("(?s).*printf '%s %s %s\\\\n' '([^']+)'.*", "$1");
        assertThat(token).hasSize(32);
        ContainerResult r = shell.run("exec 3<>/dev/tcp/127.0.0.1/" + server.port() + "; printf 'wrong s1 req.abcdefgh\\n' >&3; "
                + "cat <&3; echo \"refused: $?\"; oc get pods -o name; bash -x \"$(command -v oc)\" get pods -o name", LINE);
        assertThat(r.output()).startsWith("refused: 0\npod/db-1\n").doesNotContain(token).contains("****");
        assertThat(Files.readString(shell.program())).as("the program keeps its token").contains(token);
    }

    @Test
    void closingRemovesTheShellsDirectoryAndStopsListening() {
        Path dir = shell.program().getParent().getParent();
        ContainerResult before = shell.run("oc get pods -o name; ls \"$HOME/..\" | grep -c '^req\\.' || true", LINE);
        assertThat(before.output()).as("no request directory left after a call").isEqualTo("pod/db-1\n0\n");
        server.close();
        assertThat(dir).doesNotExist();
        OcShell closed = shell;
        assertThat(closed.project()).isEqualTo("pgrh-test");
    }
}

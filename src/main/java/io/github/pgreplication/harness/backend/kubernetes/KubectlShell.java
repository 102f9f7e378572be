package io.github.pgreplication.harness.backend.kubernetes;

import io.github.pgreplication.harness.backend.ClusterShell;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.backend.ShellScript;
import io.github.pgreplication.harness.backend.TerminalTurn;
import io.github.pgreplication.harness.run.HostTool;
import io.github.pgreplication.harness.run.RunDirectory;
import io.github.pgreplication.harness.run.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bash in which {@code oc} is the cluster's CLI: {@code oc} itself where the cluster is OpenShift and has it,
 * else kubectl behind {@link #SHIM} ({@code oc project NAME} becomes {@code kubectl config set-context --current
 * --namespace NAME}; {@code oc rollout status dc/NAME} follows a DeploymentConfig's status). It uses a copy of the cluster's kubeconfig in a scratch directory of
 * its own (mode 0600, deleted on close), whose current namespace is the pair's: the user's kubeconfig and kubectl's
 * cache in {@code ~/.kube} are never touched.
 */
final class KubectlShell implements ClusterShell, AutoCloseable {

    /** The {@code oc} of a cluster that is not OpenShift: kubectl, and what kubectl does not do as oc does. */
    static final String SHIM = "oc-on-kubectl.sh";

    private final String project;
    private final Path dir;
    private final Path cli;
    private final String cliVersion;
    private final boolean ocItself;
    /** The scripts running now, stopped at close before the directory goes. */
    private final Set<Process> live = ConcurrentHashMap.newKeySet();

    KubectlShell(Cluster cluster, String namespace, boolean openshift) {
        this.project = namespace;
        Optional<Path> oc = openshift ? HostTool.onPath("oc") : Optional.empty();
        this.ocItself = oc.isPresent();
        this.cli = oc.or(() -> cluster.offlineImages() && Files.isExecutable(Cluster.OFFLINE_KUBECTL)
                        ? Optional.of(Cluster.OFFLINE_KUBECTL) : HostTool.onPath("kubectl"))
                .orElseThrow(() -> new IllegalStateException("the guide's oc commands need kubectl (or oc on OpenShift) "
                        + "on the PATH (PATH=" + System.getenv("PATH") + "); the offline cluster's is "
                        + Cluster.OFFLINE_KUBECTL + ", made by k8s/offline/build.sh"));
        this.dir = RunDirectory.scratch("kubectl");
        try {
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, cluster.kubeconfigYaml());
            Files.setPosixFilePermissions(kubeconfig, PosixFilePermissions.fromString("rw-------"));
            Path bin = Files.createDirectories(dir.resolve("bin"));
            if (!ocItself) {
                Path shim = bin.resolve("oc");
                Files.writeString(shim, ocOnKubectl(cli));
                Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwx------"));
            }
            cluster.context().ifPresent(c -> setUp("config use-context '" + c + "'"));
            setUp("config set-context --current --namespace=" + namespace);
            this.cliVersion = setUp("version --client" + (ocItself ? "" : " --short")).lines().findFirst().orElse("?").trim();
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot prepare the cluster's command line in " + dir, e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** {@code oc-on-kubectl.sh} with kubectl's path written in. */
    static String ocOnKubectl(Path kubectl) throws IOException {
        String marker = "KUBECTL=${KUBECTL:-kubectl}";
        try (var in = KubectlShell.class.getResourceAsStream(SHIM)) {
            if (in == null) {
                throw new IOException("no " + SHIM + " on the class path");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!text.contains(marker)) {
                throw new IOException(SHIM + " has no line " + marker);
            }
            return text.replace(marker, "KUBECTL='" + kubectl + "'");
        }
    }

    /** The report's line on how the guide's {@code oc} commands ran. */
    String adaptation() {
        return ocItself
                ? "The guide's oc commands run as written with the cluster's own oc (" + cliVersion + "), in a kubeconfig "
                        + "private to the run whose project is the pair's namespace."
                : "`oc` → kubectl (" + cliVersion + "): the guide's oc commands run as written in bash, where `oc` is kubectl "
                        + "and `oc project NAME` is `kubectl config set-context --current --namespace=NAME`, on a kubeconfig "
                        + "private to the run whose namespace is the pair's; `oc rollout status dc/NAME`, which kubectl cannot "
                        + "do for a custom kind, reads the DeploymentConfig's status as OpenShift's oc does (" + SHIM + ").";
    }

    @Override
    public String project() {
        return project;
    }

    @Override
    public ContainerResult run(String script, Duration timeout) {
        return ShellScript.run(script, dir, environment(), timeout,
                cli.toString(), live);
    }

    @Override
    public ContainerResult atTerminal(String line, List<TerminalTurn> turns, Waits waits, Duration timeout) {
        return ShellScript.atTerminal(line, turns, dir, environment(), waits, timeout, cli.toString(), live);
    }

    private Map<String, String> environment() {
        // HOME: kubectl's cache goes here, not to the user's ~/.kube
        return Map.of("PATH", dir.resolve("bin") + ":" + cli.getParent() + ":/usr/bin:/bin", "HOME", dir.toString(),
                "KUBECONFIG", dir.resolve("kubeconfig").toString(), "LANG", "C.UTF-8");
    }

    /** A kubectl (or oc) command of the set-up; its output, or an error with it. */
    private String setUp(String args) {
        ContainerResult r = run((ocItself ? "oc " : "'" + cli + "' ") + args, Duration.ofSeconds(30));
        if (!r.succeeded()) {
            throw new IllegalStateException("setting up the cluster's command line: `" + args + "` exited " + r.exitCode()
                    + ": " + r.tail(5));
        }
        return r.output();
    }

    @Override
    public void close() {
        ShellScript.stopAll(live);
        RunDirectory.deleteTree(dir);
    }
}

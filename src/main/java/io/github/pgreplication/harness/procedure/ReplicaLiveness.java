package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.ClusterShell;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.backend.Probes;
import io.github.pgreplication.harness.backend.ShellScript;
import io.github.pgreplication.harness.guide.ProbePlan;
import java.time.Duration;

/**
 * The replica's livenessProbe on a cluster, as its manifest writes it: when its check stops getting an answer, the
 * kubelet must restart the container within what the probe and the pod's grace period allow. The fault: the server's
 * Unix socket removed, so the probe's {@code pg_isready} (which uses it) gets no answer while the server runs on. A
 * hung server, the closer fault, cannot be made from inside the container: the kernel drops SIGSTOP sent to a PID
 * namespace's first process (tried on the cluster: {@code kill -STOP 1} exits 0 and the postmaster keeps running).
 */
public final class ReplicaLiveness {

    /** A restart the kubelet made: how long after the probe began to fail, against what the manifests allow. */
    public record Restart(Duration took, Duration allowed, ProbePlan probe, String lastSeen) {
    }

    /** What the kubelet may take beyond the probe's own timings: its sync loop, the container's new start. */
    private static final Duration KUBELET_SLACK = Duration.ofSeconds(20);
    private static final Duration COMMAND = Duration.ofSeconds(30);

    private final GuidePair pair;
    private final RunContext context;
    private final ClusterShell shell;
    private final ClusterCommands commands;

    public ReplicaLiveness(GuidePair pair, RunContext context) {
        this.context = context;
        this.pair = pair;
        this.commands = new ClusterCommands(pair, context);
        this.shell = pair.clusterShell().orElseThrow();
    }

    /** The livenessProbe of the replica's container {@code container}, as the Deployment writes it. */
    public ProbePlan probe(String container) {
        var main = pair.model().replicaTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(container)).findFirst()
                .orElseThrow(() -> new AssertionError("the replica's Deployment has no container " + container));
        return pair.manifests().plan(pair.model().replicaDeployment(), pair.model().replicaTemplate(), main).liveness()
                .orElseThrow(() -> new AssertionError("the replica's container " + container + " has no exec livenessProbe"));
    }

    /**
     * Removes the Unix socket of the server of the replica's container {@code container} through {@code oc exec}, checks
     * that the probe's own command now fails there, then waits for the container's restart count to grow: at most the
     * probe's longest time to act, the pod's grace period and {@link #KUBELET_SLACK}.
     */
    public Restart breakProbeAndAwaitRestart(String container) {
        ProbePlan probe = probe(container);
        String pod = commands.slavePodLine() + "\n";
        String restarts = pod + "oc get pod $SLAVE_POD -o jsonpath='{.status.containerStatuses[?(@.name==\"" + container
                + "\")].restartCount}'";
        int before = count(shell.run(restarts, context.waits().scaled(COMMAND)));
        ContainerResult grace = shell.run(pod + "oc get pod $SLAVE_POD -o jsonpath='{.spec.terminationGracePeriodSeconds}'",
                context.waits().scaled(COMMAND));
        Duration allowed = probe.longestToAct().plusSeconds(count(grace)).plus(KUBELET_SLACK);
        String quotedProbe = probe.command().stream().map(ShellScript::quoted)
                .collect(java.util.stream.Collectors.joining(" "));
        ContainerResult broken = shell.run(pod + "oc exec $SLAVE_POD -c " + container + " -- sh -c "
                + "'rm -f \"$(psql -U postgres -Atc \"SHOW unix_socket_directories\" | cut -d, -f1)\"/.s.PGSQL." + Probes.POSTGRES_PORT
                + "'\noc exec $SLAVE_POD -c " + container + " -- " + quotedProbe, context.waits().scaled(COMMAND));
        if (broken.succeeded()) {
            throw new AssertionError("the livenessProbe's command still passes with the server's socket removed:\n" + broken.tail(10));
        }
        long start = System.nanoTime();
        String[] last = {""};
        context.waits().until("the kubelet restarts the replica's container " + container + " (its livenessProbe "
                        + probe.describe() + ")", allowed, Duration.ofSeconds(2),
                () -> {
                    ContainerResult r = shell.run(restarts, context.waits().scaled(COMMAND));
                    last[0] = r.output().strip();
                    return r.succeeded() && count(r) > before;
                },
                () -> "restart count " + last[0] + " (before: " + before + ")\n"
                        + shell.run(pod + "oc describe pod $SLAVE_POD | tail -15", context.waits().scaled(COMMAND)).output());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        pair.scenarioFigure("2.3", "replica's livenessProbe failing (server's socket removed) to its container restarted",
                took.toMillis(), "ms");
        context.evidence().adaptation("The replica's livenessProbe is made to fail by removing its server's Unix socket with "
                + "`oc exec $SLAVE_POD -c " + container + " -- sh -c 'rm -f …/.s.PGSQL." + Probes.POSTGRES_PORT
                + "'`, `SLAVE_POD` set by Étape 2.5's own line.");
        return new Restart(took, allowed, probe, last[0]);
    }

    private static int count(ContainerResult r) {
        String out = r.output().strip();
        if (!r.succeeded() || !out.matches("\\d+")) {
            throw new AssertionError("expected a number from the cluster (exit " + r.exitCode() + "): " + r.tail(5));
        }
        return Integer.parseInt(out);
    }
}

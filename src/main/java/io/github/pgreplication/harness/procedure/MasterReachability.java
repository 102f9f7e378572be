package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.ClusterShell;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.backend.Probes;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.procedure.ClusterCommands.CommandRun;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Whether the replica reaches the master: « Master inaccessible »'s check as written (« Le slave ne démarre pas »,
 * 1.), and a fault only a cluster can make, a NetworkPolicy that denies every ingress to the master's pod.
 */
public final class MasterReachability {

    private static final String MASTER_UNREACHABLE = "procedure#troubleshooting/master-unreachable-check";

    /** The NetworkPolicy the harness puts on the master's pod: every ingress denied. */
    static final String DENY_MASTER = "pgrh-deny-ingress-to-master";

    /** Why a scenario that needs the cluster to enforce NetworkPolicy is not run where it does not. */
    public static final String NO_POLICY_SUPPORT = "the cluster does not enforce NetworkPolicy: with every ingress to the "
            + "master's pod denied, the replica's pod still got an answer from it within 10 s (its network plugin has no "
            + "policy support; the offline cluster's CNI bridge has none), so this scenario is not run, and not passed";

    private final GuidePair pair;
    private final RunContext context;
    private final ClusterCommands commands;
    private final ClusterShell shell;

    public MasterReachability(GuidePair pair, RunContext context) {
        this.pair = pair;
        this.context = context;
        this.commands = new ClusterCommands(pair, context);
        this.shell = pair.clusterShell().orElseThrow();
    }

    /**
     * « Master inaccessible »: {@code oc exec $SLAVE_POD -- ping postgresql} as written, {@code SLAVE_POD} set by
     * Étape 2.5's own line: the check must say what is true, the master reachable (exit 0) when {@code masterUp},
     * unreachable otherwise; a check that could not run at all (its executable missing) says nothing either way. On a
     * deviation, the erratum's corrected command runs the same way, and must say what is true.
     */
    public CommandRun masterReachableCheck(boolean masterUp) {
        String setSlavePod = commands.slavePodLine();
        context.evidence().executed(MASTER_UNREACHABLE);
        context.evidence().adaptation("« Master inaccessible »: `SLAVE_POD` set by Étape 2.5's own line first.");
        return context.ledger().verbatim(MASTER_UNREACHABLE, () -> {
            CommandRun c = commands.run("troubleshooting-slave-start", b -> b.text().contains("-- ping "), Map.of(),
                    List.of(setSlavePod), java.util.function.UnaryOperator.identity()).commands().get(0);
            if (c.output().contains("executable file not found") || c.succeeded() != masterUp) {
                throw Deviation.exit(MASTER_UNREACHABLE, c.exitCode(), c.output()).raise();
            }
            return c;
        }, () -> {
            String line = commands.correctedCommands(MASTER_UNREACHABLE).get(0);
            ContainerResult r = shell.run(setSlavePod + "\n" + line, context.waits().scaled(ClusterCommands.SECTION));
            if (r.succeeded() != masterUp) {
                throw new AssertionError("the corrected check `" + line + "` says the " + (masterUp ? "running" : "cut off")
                        + " master is " + (masterUp ? "unreachable" : "reachable") + " (exit " + r.exitCode() + "):\n"
                        + r.tail(10));
            }
            return new CommandRun(line, line, r.exitCode(), r.output());
        });
    }

    /**
     * Puts a NetworkPolicy on the master's pod (its template's labels) that denies every ingress, and says whether
     * the cluster enforces it: within 10 s the replica's pod must get no answer from the master's Service
     * ({@code pg_isready}). Where it still gets one, the cluster does not enforce NetworkPolicy (its network plugin has
     * no policy support): the policy is deleted again and false returned.
     */
    public boolean denyIngressToTheMaster() {
        Map<String, String> labels = new java.util.TreeMap<>(pair.model().masterTemplate().getMetadata().getLabels());
        StringBuilder yaml = new StringBuilder("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: "
                + DENY_MASTER + "\nspec:\n  podSelector:\n    matchLabels:\n");
        labels.forEach((k, v) -> yaml.append("      ").append(k).append(": \"").append(v).append("\"\n"));
        yaml.append("  policyTypes: [Ingress]\n");
        ContainerResult applied = shell.run("oc apply -f - <<'EOF'\n" + yaml + "EOF", context.waits().scaled(ClusterCommands.SECTION));
        if (!applied.succeeded()) {
            throw new AssertionError("NetworkPolicy " + DENY_MASTER + " not applied:\n" + applied.tail(10));
        }
        String probe = commands.slavePodLine() + "\noc exec $SLAVE_POD -- pg_isready -h " + pair.model().masterServiceName()
                + " -p " + Probes.POSTGRES_PORT + " -t 2 -U postgres"; // -U: under an arbitrary UID, no default user
        try {
            context.waits().until("NetworkPolicy " + DENY_MASTER + " enforced: the replica's pod gets no answer from the master",
                    Duration.ofSeconds(10), Duration.ofMillis(500),
                    () -> !shell.run(probe, context.waits().scaled(ClusterCommands.SECTION)).succeeded(), () -> "pg_isready still answered");
            return true;
        } catch (AssertionError notEnforced) {
            allowIngressToTheMaster();
            return false;
        }
    }

    /** Deletes the NetworkPolicy of {@link #denyIngressToTheMaster()}. */
    public void allowIngressToTheMaster() {
        ContainerResult r = shell.run("oc delete networkpolicy " + DENY_MASTER + " --ignore-not-found",
                context.waits().scaled(ClusterCommands.SECTION));
        if (!r.succeeded()) {
            throw new AssertionError("NetworkPolicy " + DENY_MASTER + " not deleted:\n" + r.tail(10));
        }
    }
}

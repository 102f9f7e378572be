package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.ClusterShell;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.backend.PostgresPod;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.procedure.ClusterCommands.CommandRun;
import io.github.pgreplication.harness.procedure.ClusterCommands.SectionRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * « Commandes de diagnostic » as written on a pod and a claim of the pair, what they failed to say of them, and
 * « État des ressources »'s listing (erratum check); and whether {@code oc top} can answer, from the cluster's metrics
 * API or the backend's own account of its pods.
 */
public final class DiagnosticCommands {

    /** Why a scenario that needs the cluster's metrics API is not run where the cluster serves none. */
    public static final String NO_METRICS_API = "the cluster serves no metrics.k8s.io API (no metrics-server): `oc top` "
            + "cannot answer here, so this scenario is not run, and not passed";

    private final GuidePair pair;
    private final RunContext context;
    private final ClusterCommands commands;
    private final ClusterShell shell;

    public DiagnosticCommands(GuidePair pair, RunContext context) {
        this.pair = pair;
        this.context = context;
        this.commands = new ClusterCommands(pair, context);
        this.shell = pair.clusterShell().orElseThrow();
    }

    /**
     * « Commandes de diagnostic » on one pod and one claim of the pair: {@code <pod-name>}, {@code <container-name>}
     * (the pod's PostgreSQL container) and {@code <pvc-name>}.
     */
    public SectionRun diagnostics(PostgresPod pod, String claim) {
        Map<String, String> placeholders = new LinkedHashMap<>();
        placeholders.put("<pod-name>", pod.name());
        placeholders.put("<container-name>", pod.plan().containerName());
        placeholders.put("<pvc-name>", claim);
        return commands.run("diagnostics", placeholders);
    }

    /**
     * What « Commandes de diagnostic », run on {@code pod} and its claim, failed to say of them: each log command
     * printing the pod's log, the events naming the pod, its description Running and Ready, the claim's Bound. Empty
     * when they answer about the running pod and the bound claim.
     */
    public static List<String> unansweredDiagnostics(SectionRun diagnostics, PostgresPod pod) {
        List<String> out = new ArrayList<>();
        for (String logs : List.of("oc logs <pod-name>", "oc logs <pod-name> -c")) {
            CommandRun c = diagnostics.command(logs);
            if (!c.succeeded() || c.output().isBlank()) {
                out.add("`" + logs + "` printed no log: " + c);
            }
        }
        expect(out, diagnostics.command("oc get events"), "names the pod " + pod.name(), Pattern.quote(pod.name()));
        out.addAll(undescribed(diagnostics.command("oc describe pod"), pod));
        expect(out, diagnostics.command("oc describe pvc"), "describes the claim Bound", "Status:\\s+Bound");
        return out;
    }

    /** What an {@code oc describe pod} failed to say of the running pod: its name, Running, Ready. Empty when it said all. */
    public static List<String> undescribed(CommandRun describe, PostgresPod pod) {
        List<String> out = new ArrayList<>();
        expect(out, describe, "describes the pod Running and Ready", "Name:\\s+" + Pattern.quote(pod.name()),
                "Status:\\s+Running", "Ready\\s+True");
        return out;
    }

    private static void expect(List<String> out, CommandRun c, String what, String... patterns) {
        for (String p : patterns) {
            if (!Pattern.compile(p).matcher(c.output()).find()) {
                out.add("`" + c.guideLine() + "` " + what + ": no /" + p + "/ in " + c);
            }
        }
    }

    /**
     * Erratum check: « État des ressources » ({@code oc get all -l app=postgresql}) lists the master's pod and the
     * replica's. Returns the listing of the corrected command where the guide's misses the master.
     */
    public String stateOfResources(SectionRun diagnostics) {
        CommandRun all = diagnostics.command("oc get all -l");
        String item = "guide-text#diagnostics/oc-get-all";
        String master = pair.master().name();
        String replica = pair.replica().name();
        return context.ledger().verbatim(item, () -> {
            if (!all.succeeded() || !listed(all.output(), replica)) {
                throw new AssertionError("« État des ressources » does not list the replica's pod " + replica + ": " + all);
            }
            if (!listed(all.output(), master)) {
                throw Deviation.result(item, "the master's pod and the replica's", "the master's pod is not among them").raise();
            }
            return all.output();
        }, () -> {
            String selector = pair.master().plan().podLabels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(java.util.stream.Collectors.joining(","));
            ContainerResult r = shell.run(all.command() + "\noc get all -l " + selector, context.waits().scaled(ClusterCommands.SECTION));
            if (!r.succeeded() || !listed(r.output(), master) || !listed(r.output(), replica)) {
                throw new AssertionError("the corrected « État des ressources » (also `oc get all -l " + selector
                        + "`) does not list both pods: exit " + r.exitCode() + "\n" + r.tail(20));
            }
            return r.output();
        });
    }

    private static boolean listed(String output, String name) {
        return output.lines().anyMatch(l -> l.strip().startsWith("pod/" + name + " ") || l.strip().equals("pod/" + name));
    }

    /** Whether the cluster serves the resource metrics API that {@code oc top} reads (metrics-server). */
    public boolean servesMetrics() {
        return shell.run("oc get --raw /apis/metrics.k8s.io/v1beta1 >/dev/null 2>&1", context.waits().scaled(ClusterCommands.SECTION)).succeeded();
    }

    /**
     * Waits until the metrics API has figures for each of these pods: a pod's appear once the kubelet has sampled its
     * containers twice (metrics-server's « metrics not available yet » until then), as a reader retries {@code oc top}.
     */
    public void awaitPodMetrics(List<PostgresPod> pods) {
        String ask = String.join(" && ", pods.stream().map(p -> "oc top pod " + p.name()).toList());
        ContainerResult[] last = new ContainerResult[1];
        context.waits().until("the metrics API has figures for the pods " + pods.stream().map(PostgresPod::name).toList(),
                Duration.ofSeconds(90), Duration.ofSeconds(2), () -> (last[0] = shell.run(ask, context.waits().scaled(ClusterCommands.SECTION)))
                        .succeeded(), () -> last[0] == null ? "nothing yet" : last[0].tail(5));
    }
}

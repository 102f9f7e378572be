package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.guide.GuideDocument;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * « Problème : Lag de réplication élevé », solutions 2 and 3, as their reader types them: {@code oc exec $MASTER_POD --
 * ping $SLAVE_POD_IP} and {@code oc exec $SLAVE_POD -- iostat -x 1}, with {@code MASTER_POD} and {@code SLAVE_POD} set
 * by the guide's own lines. Each must print what it is there for: round trips to the replica, the disks' statistics.
 */
public final class LagChecks {

    /** The errata item of the two checks (erratum E34). */
    public static final String ITEM = "procedure#troubleshooting-lag/network-and-io-checks";
    private static final String STEP = "troubleshooting-lag";
    private static final Predicate<GuideDocument.CodeBlock> CHECKS = b -> b.text().contains("-- ping ")
            || b.text().contains("-- iostat ");

    private final GuidePair pair;
    private final RunContext context;
    private final ClusterCommands commands;

    public LagChecks(GuidePair pair, RunContext context) {
        this.pair = pair;
        this.context = context;
        this.commands = new ClusterCommands(pair, context);
    }

    /**
     * Runs both checks as written ({@code iostat}'s endless interval bounded by a {@code timeout} of 10 s). Through the
     * ledger: ping must print replies and iostat a device table; as published neither tool is in the image (E34) and
     * the corrected check, the master's {@code pg_stat_replication} lags, runs in their place. What ran last.
     */
    public List<ClusterCommands.CommandRun> run() {
        List<String> pods = List.of(commands.masterPodLine(), commands.slavePodLine());
        context.evidence().executed(ITEM);
        return context.ledger().verbatim(ITEM, () -> {
            List<ClusterCommands.CommandRun> runs = commands.run(STEP, CHECKS, Map.of(), pods,
                    line -> line.contains("iostat") ? "timeout 10 " + line : line).commands();
            ClusterCommands.CommandRun ping = runs.get(0);
            ClusterCommands.CommandRun iostat = runs.get(1);
            if (!ping.output().contains("bytes from") || !iostat.output().contains("Device")) {
                throw Deviation.result(ITEM, "ping's round trips and iostat's device table", "ping: " + outcome(ping)
                        + "; iostat: " + outcome(iostat) + "; SLAVE_POD_IP " + (guideSets("SLAVE_POD_IP=") ? "set by the guide"
                        : "set by no line of the guide")).raise();
            }
            return runs;
        }, () -> {
            String line = commands.correctedCommands(ITEM).get(0);
            ContainerResult r = pair.clusterShell().orElseThrow().run(String.join("\n", pods) + "\n" + line,
                    GuidePair.SCRIPT);
            if (!r.succeeded() || !r.output().contains("replay_lag")) {
                throw new AssertionError("the corrected check `" + line + "` exited " + r.exitCode() + ":\n" + r.tail(10));
            }
            return List.of(new ClusterCommands.CommandRun(line, line, r.exitCode(), r.output()));
        });
    }

    /**
     * What a check's run came to, as the erratum records it: « not in the image » where the runtime could not start the
     * executable (the exit status is then the runtime's, 1 from a containerd node, not the program's), else its exit.
     */
    static String outcome(ClusterCommands.CommandRun run) {
        return run.output().contains("executable file not found") ? "not in the image" : "exit " + run.exitCode();
    }

    /** One row of {@code oc top pod}: the pod, its CPU in millicores and its memory in MiB, as kubectl prints them. */
    public record PodTop(String pod, long millicores, long mebibytes) {

        private static final Pattern ROW = Pattern.compile("(?m)^(\\S+)\\s+(\\d+)m\\s+(\\d+)Mi\\s*$");

        /** The rows of {@code oc top pod}'s table (its header left out); none when it printed no table. */
        public static List<PodTop> parse(String output) {
            return ROW.matcher(output).results().map(m -> new PodTop(m.group(1), Long.parseLong(m.group(2)),
                    Long.parseLong(m.group(3)))).toList();
        }
    }

    /**
     * Solution 1 as typed: « Ressources du slave » ({@code oc describe pod $SLAVE_POD}, {@code oc top pod $SLAVE_POD})
     * and « Charge du master » ({@code oc top pod $MASTER_POD}), {@code MASTER_POD} and {@code SLAVE_POD} set by the
     * guide's own lines (the scenario waits first for the metrics API's figures of both pods).
     */
    public Resources resources() {
        context.evidence().adaptation("« Lag de réplication élevé », solution 1: `MASTER_POD` and `SLAVE_POD` set first by "
                + "the guide's own lines of Étapes 3.1 and 2.5; `oc top` run once the metrics API had figures for both pods "
                + "(it has none in a pod's first seconds), as a reader retries it.");
        return new Resources(commands.run(STEP, b -> b.text().contains("oc top pod $SLAVE_POD"), Map.of(),
                List.of(commands.masterPodLine(), commands.slavePodLine()), java.util.function.UnaryOperator.identity()));
    }

    /** Solution 1's block as it ran: its {@code oc describe pod}, and what each {@code oc top pod} line printed. */
    public record Resources(ClusterCommands.SectionRun run) {

        public ClusterCommands.CommandRun describe() {
            return run.command("oc describe pod");
        }

        /** Each {@code oc top pod} line's rows, in the guide's order. */
        public List<List<PodTop>> tops() {
            return run.commands().stream().filter(c -> c.guideLine().startsWith("oc top pod"))
                    .map(c -> PodTop.parse(c.output())).toList();
        }
    }

    /** Whether some bash block of the guide assigns a variable ({@code NAME=}). */
    private boolean guideSets(String assignment) {
        return context.guide().blocks().stream().anyMatch(b -> b.text().lines().anyMatch(l -> l.strip().startsWith(assignment)));
    }
}

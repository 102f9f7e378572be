package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.errata.Erratum;
import io.github.pgreplication.harness.backend.ClusterShell;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.guide.MountPlan;
import io.github.pgreplication.harness.guide.MountSource;
import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.run.Secrets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guide's {@code oc} sections on a cluster: a section's bash blocks run as written, in order, in one shell of
 * the cluster's command line (so that {@code POD_NAME=$(oc get pods …)} carries over), its placeholders such as
 * {@code <pod-name>} given the pair's names. Each command line's output and exit status is kept apart: the shell
 * prints a marker between two lines of the guide, and nothing else is added. The reconnaissance is here; the other
 * sections that need more than their run have their own class over this one ({@link DiagnosticCommands}, {@link
 * MasterReachability}, {@link LagChecks}).
 */
public final class ClusterCommands {

    /** How long a section's commands may take, scaled. */
    static final Duration SECTION = Duration.ofSeconds(120);
    private static final Pattern RUN = Pattern.compile("@@pgrh-command (\\d+)@@\\n(.*?)\\n?@@pgrh-exit (\\d+)@@", Pattern.DOTALL);

    /** One command line of the guide, as it ran (placeholders replaced), its exit status and what it printed. */
    public record CommandRun(String guideLine, String command, int exitCode, String output) {

        /**
         * False where the backend's own {@code oc} does not provide a verb or flag of the line ({@link
         * ClusterShell#NOT_PROVIDED}): the line did not run on this backend, and is recorded as not run, never as run.
         */
        public boolean provided() {
            return !(exitCode == ClusterShell.NOT_PROVIDED && output.contains(" is not provided by the "));
        }

        public boolean succeeded() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            // a placeholder may hold a secret of the run (« Stratégie de répartition »'s URLs hold a password)
            return "`" + Secrets.redact(command) + "` (exit " + exitCode + ")" + (output.isBlank() ? "" : ":\n" + output.strip());
        }
    }

    /** What a section's commands did, in the guide's order. */
    public record SectionRun(String step, Map<String, String> placeholders, List<CommandRun> commands) {

        /** The run of the guide's command line that starts with {@code prefix}; an error listing the section's lines. */
        public CommandRun command(String prefix) {
            return commands.stream().filter(c -> c.guideLine().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the guide's section " + step + " has no command `" + prefix
                            + "…`; it has " + commands.stream().map(CommandRun::guideLine).toList()));
        }
    }

    private final GuidePair pair;
    private final RunContext context;
    private final ClusterShell shell;

    /** How a line the backend's {@code oc} does not provide is recorded: apart from the lines run as written. */
    public static final String NOT_PROVIDED = "command-not-provided#";
    /** The prefix of what an erratum's correction, run in a guide line's place, printed. */
    public static final String CORRECTED = "corrected#";

    public ClusterCommands(GuidePair pair, RunContext context) {
        this.context = context;
        this.pair = pair;
        this.shell = pair.clusterShell().orElseThrow(() -> new IllegalStateException("the guide's oc commands "
                + "need a cluster, and the " + pair.backend().description().name() + " backend runs none"));
    }

    /** The project the commands run in: what the guide's {@code <nom-du-projet>} stands for. */
    public String project() {
        return shell.project();
    }

    /** Runs every bash block of the section, in one shell, with the placeholders replaced. */
    public SectionRun run(String step, Map<String, String> placeholders) {
        return run(step, b -> true, placeholders, List.of(), java.util.function.UnaryOperator.identity());
    }

    /**
     * Runs the section's bash blocks that {@code which} selects, in one shell, with the placeholders replaced: first
     * the harness's {@code setUp} lines (adaptations the caller lists; not the guide's, so not counted among its
     * commands), then each of the guide's lines as {@code bound} gives it (a {@code timeout} in front of a command
     * that could wait forever, say).
     */
    public SectionRun run(String step, java.util.function.Predicate<GuideDocument.CodeBlock> which,
                          Map<String, String> placeholders, List<String> setUp,
                          java.util.function.UnaryOperator<String> bound) {
        return run(step, which, l -> true, placeholders, setUp, bound);
    }

    /**
     * The same, running only the lines {@code only} selects of those blocks: the others are not run, so their blocks
     * are not counted as run as written; the caller lists why as an adaptation.
     */
    public SectionRun run(String step, java.util.function.Predicate<GuideDocument.CodeBlock> which,
                          java.util.function.Predicate<String> only, Map<String, String> placeholders, List<String> setUp,
                          java.util.function.UnaryOperator<String> bound) {
        return run(step, which, only, placeholders, setUp, bound, "command#");
    }

    /**
     * An erratum's correction run in the place of the guide's lines: the blocks {@code which} selects, each line as
     * {@code correct} gives it. What it printed is the correction's ({@value #CORRECTED}), never the run as written of
     * the guide's line: the page of the guide shows what the line as written printed, beside the erratum.
     */
    public SectionRun corrected(String step, java.util.function.Predicate<GuideDocument.CodeBlock> which, List<String> setUp,
                                java.util.function.UnaryOperator<String> correct) {
        return run(step, which, l -> true, Map.of(), setUp, correct, CORRECTED);
    }

    private SectionRun run(String step, java.util.function.Predicate<GuideDocument.CodeBlock> which,
                           java.util.function.Predicate<String> only, Map<String, String> placeholders, List<String> setUp,
                           java.util.function.UnaryOperator<String> bound, String recordedAs) {
        List<String> lines = new ArrayList<>();
        for (GuideDocument.CodeBlock b : context.guide().blocks()) {
            if (b.step().equals(step) && b.language().equals("bash") && which.test(b)) {
                b.commands().stream().filter(only).forEach(lines::add);
            }
        }
        if (lines.isEmpty()) {
            throw new IllegalStateException("the guide's section " + step + " has no bash block of those asked for");
        }
        List<String> commands = lines.stream().map(l -> bound.apply(replace(sqlNames(l), placeholders))).toList();
        StringBuilder script = new StringBuilder();
        setUp.forEach(l -> script.append(l).append('\n'));
        for (int i = 0; i < commands.size(); i++) {
            script.append("printf '\\n@@pgrh-command ").append(i).append("@@\\n'\n")
                    .append(commands.get(i)).append('\n')
                    .append("printf '\\n@@pgrh-exit %s@@\\n' $?\n");
        }
        ContainerResult r = shell.run(script.toString(), context.waits().scaled(SECTION));
        if (r.timedOut()) {
            throw new AssertionError("the guide's section " + step + " did not finish within " + SECTION.toSeconds()
                    + " s; its output so far:\n" + r.tail(30));
        }
        List<CommandRun> runs = new ArrayList<>();
        Matcher m = RUN.matcher(r.output());
        while (m.find()) {
            int i = Integer.parseInt(m.group(1));
            runs.add(new CommandRun(lines.get(i), commands.get(i), Integer.parseInt(m.group(3)), m.group(2)));
        }
        if (runs.size() != commands.size()) {
            throw new AssertionError("the guide's section " + step + ": " + runs.size() + " of its " + commands.size()
                    + " commands ran (exit " + r.exitCode() + "); output:\n" + r.tail(30));
        }
        SectionRun run = new SectionRun(step, Map.copyOf(placeholders), List.copyOf(runs));
        runs.forEach(c -> pair.ran((c.provided() ? recordedAs : NOT_PROVIDED) + step + "/" + c.guideLine(),
                "exit " + c.exitCode(), c.succeeded(), c.output()));
        context.evidence().note(step, "The section's commands, run as written in project `" + project() + "`"
                + (placeholders.isEmpty() ? "" : " with " + describe(placeholders)) + ": "
                + String.join("; ", runs.stream().map(c -> "`" + c.command() + "` exit " + c.exitCode()).toList()) + ".");
        return run;
    }

    /**
     * A guide line whose SQL names the slot or the replication role as a quoted literal ({@code WHERE
     * rolname='replicator'}, {@code pg_drop_replication_slot('replication_slot_slave')}), with the manifests' names, as
     * the guide's queries run through JDBC have them; listed as an adaptation where it changes a line.
     */
    private String sqlNames(String line) {
        PairManifests m = pair.manifests();
        String adapted = m.names().adaptSql(line, m.guideNames());
        if (!adapted.equals(line)) {
            context.evidence().adaptation("The guide's command lines name the slot and the replication role in their SQL as "
                    + "the manifests under test do: " + String.join("; ", m.names().renamedFrom(m.guideNames())));
        }
        return adapted;
    }

    // ----- Commandes de reconnaissance ----------------------------------------------------------------------------

    /** What each {@code oc get … | grep postgres} of the reconnaissance must list: the pair's objects of that kind. */
    public record Listing(String guideLine, List<String> expected, List<String> missing, List<String> beyondGrep) {
    }

    /**
     * « Commandes de reconnaissance », as written with {@code <nom-du-projet>} the pair's namespace; each listing
     * compared with what the pair runs from the manifests (the names its {@code grep postgres} can show).
     */
    /** The reconnaissance's results: its four listings, and the master's version as its last two lines find it. */
    public record Reconnaissance(List<Listing> listings, VersionCheck version) {
    }

    public Reconnaissance reconnaissance() {
        SectionRun run = run("reconnaissance", Map.of("<nom-du-projet>", project()));
        CommandRun project = run.command("oc project");
        if (!project.succeeded()) {
            throw new AssertionError("Commandes de reconnaissance: " + project);
        }
        GuideNames n = pair.names();
        List<String> claims = java.util.stream.Stream.of(pair.master(), pair.replica())
                .flatMap(p -> p.plan().mounts().stream()).map(MountPlan::source)
                .filter(MountSource.Claim.class::isInstance).map(c -> ((MountSource.Claim) c).claimName()).distinct().toList();
        List<Listing> out = new ArrayList<>();
        out.add(listing(run.command("oc get all"), List.of(pair.master().name(), pair.replica().name(),
                n.get(GuideNames.Role.MASTER_SERVICE), n.get(GuideNames.Role.REPLICA_SERVICE))));
        out.add(listing(run.command("oc get pvc"), claims));
        out.add(listing(run.command("oc get configmap"), List.of(n.get(GuideNames.Role.MASTER_CONFIG),
                n.get(GuideNames.Role.MASTER_INIT), n.get(GuideNames.Role.REPLICA_CONFIG))));
        out.add(listing(run.command("oc get secret"), List.of(n.get(GuideNames.Role.ADMIN_SECRET),
                n.get(GuideNames.Role.REPLICATION_SECRET))));
        return new Reconnaissance(List.copyOf(out), masterVersion(run));
    }

    private static Listing listing(CommandRun c, List<String> names) {
        List<String> expected = names.stream().filter(x -> x.contains("postgres")).toList();
        List<String> beyond = names.stream().filter(x -> !x.contains("postgres")).toList();
        List<String> shown = c.output().lines().map(l -> l.strip().split("\\s+")[0])
                .map(first -> first.contains("/") ? first.substring(first.indexOf('/') + 1) : first).toList();
        List<String> missing = expected.stream().filter(x -> !shown.contains(x)).toList();
        return new Listing(c.guideLine(), expected, missing, beyond);
    }

    /** The reconnaissance's {@code POD_NAME=$(oc get pods -l …)}: the pod it finds, and that pod's {@code psql --version}. */
    public record VersionCheck(String podFound, String psqlVersion) {
    }

    /** The master's version as the reconnaissance's last two lines find it, from a run of them. */
    VersionCheck masterVersion(SectionRun run) {
        CommandRun podName = run.command("POD_NAME=");
        CommandRun version = run.command("oc exec $POD_NAME");
        if (!podName.succeeded() || !version.succeeded()) {
            throw new AssertionError("Commandes de reconnaissance, the master's version: " + podName + "\n" + version);
        }
        // The harness's own look at the variable the guide's line set: the same line, then its value printed.
        ContainerResult found = shell.run(podName.command() + "\nprintf '%s' \"$POD_NAME\"", context.waits().scaled(SECTION));
        return new VersionCheck(found.output().strip(), version.output().strip());
    }

    /** Étape 3.1's own {@code MASTER_POD=$(oc get pods -l … -o jsonpath=…)}, which Phase 4's blocks rely on. */
    String masterPodLine() {
        return assignment("3.1", "MASTER_POD");
    }

    /** The reconnaissance's {@code POD_NAME=$(oc get pods -l name=postgresql …)}, which Étape 1.1's backup relies on. */
    String podNameLine() {
        return assignment("reconnaissance", "POD_NAME");
    }

    /** Étape 2.5's {@code SLAVE_POD=$(oc get pods -l role=slave …)}, which the troubleshooting's commands rely on. */
    String slavePodLine() {
        return assignment("2.5", "SLAVE_POD");
    }

    /** The guide's own line of section {@code step} that sets {@code variable}; an error naming both when there is none. */
    private String assignment(String step, String variable) {
        return context.guide().blocks().stream().filter(b -> b.step().equals(step))
                .flatMap(b -> b.commands().stream()).filter(l -> l.startsWith(variable + "="))
                .findFirst().orElseThrow(() -> new AssertionError("Étape " + step + " has no " + variable + "=… line"));
    }

    /** The {@code oc} command lines of the correction of the erratum recorded for {@code item}, in order. */
    List<String> correctedCommands(String item) {
        return correctedScript(item).stream().filter(l -> l.startsWith("oc ")).toList();
    }

    /**
     * The shell lines of the correction of the erratum recorded for {@code item}, in order: its indented lines, which
     * give at least one {@code oc} command.
     */
    List<String> correctedScript(String item) {
        Erratum e = context.ledger().catalog().recordedFor(item);
        List<String> lines = e.correction().lines().filter(l -> l.startsWith("  ")).map(String::strip).toList();
        if (lines.stream().noneMatch(l -> l.startsWith("oc ") || l.contains("| oc "))) {
            throw new AssertionError("erratum " + e.id() + "'s correction gives no oc command");
        }
        return lines;
    }

    private static String replace(String line, Map<String, String> placeholders) {
        String out = line;
        for (Map.Entry<String, String> p : placeholders.entrySet()) {
            out = out.replace(p.getKey(), p.getValue());
        }
        return out;
    }

    private static String describe(Map<String, String> placeholders) {
        Map<String, String> shown = new LinkedHashMap<>(placeholders);
        return String.join(", ", shown.entrySet().stream().map(e -> "`" + e.getKey() + "` = `" + e.getValue() + "`").toList());
    }
}

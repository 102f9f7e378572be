package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.backend.TerminalTurn;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.guide.GuideDocument;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phase 4's Tests as their reader types them: each block run as written in bash, where {@code oc} is the
 * cluster's (or the backend's own), {@code MASTER_POD} and {@code SLAVE_POD} set by the guide's own lines of Étapes 3.1
 * and 2.5, and what each block did checked on the servers: the rows its heredoc writes on the master, what the
 * replica's {@code oc exec} prints. The JDBC scenarios check the guide's intent; these check what its commands do.
 */
public final class TypedTests {

    /** The errata item of Phase 4's heredocs given to {@code oc exec} (erratum E31). */
    public static final String HEREDOC = "guide-text#phase-4/oc-exec-heredoc";
    /** What a heredoc block did when psql got none of it. */
    public static final String NOTHING_WRITTEN = "nothing written on the master, exit status 0";
    private static final String TABLE = "test_replication";

    /**
     * One test as typed: the rows of the table on the master before and after its heredoc block (as written, or as
     * corrected where E31 reproduced), and the run of its check block on the replica.
     */
    public record Typed(String step, long before, long after, ClusterCommands.SectionRun write,
                        ClusterCommands.SectionRun check) {
        public long written() {
            return after - before;
        }
    }

    private final GuidePair pair;
    private final RunContext context;
    private final ClusterCommands commands;

    public TypedTests(GuidePair pair, RunContext context) {
        this.pair = pair;
        this.context = context;
        this.commands = new ClusterCommands(pair, context);
    }

    /** Test 1: its heredoc writes 3 rows on the master; then its own block on the replica selects them. */
    public Typed test1() {
        return typed("4.1", 3, b -> b.text().contains("SELECT * FROM " + TABLE));
    }

    /** Test 3: its heredoc writes 10,000 rows on the master; once the replica has caught up, its COUNT(*) there. */
    public Typed test3() {
        return typed("4.3", 10_000, b -> b.text().contains("COUNT(*)"));
    }

    /**
     * Test 2 as typed: its {@code oc exec $SLAVE_POD -- psql -U postgres -c "INSERT …"}, with {@code SLAVE_POD} set by
     * Étape 2.5's own line, and the rows of the table on the replica before and after (the INSERT must change nothing).
     */
    public record ReadOnly(ClusterCommands.CommandRun insert, long before, long after) {
    }

    /** Runs Test 2's block as written: the table of Test 1 must exist on the replica. */
    public ReadOnly test2() {
        long before = replicaRows();
        ClusterCommands.CommandRun insert = commands.run("4.2", b -> b.text().contains("INSERT"), Map.of(),
                List.of(commands.slavePodLine()), UnaryOperator.identity()).command("oc exec $SLAVE_POD");
        return new ReadOnly(insert, before, replicaRows());
    }

    /**
     * Test 4 as typed, at a terminal: the test pod's {@code oc run … --rm -it … -- bash}, and in its bash each
     * {@code psql -h <Service> -U postgres -d postgres} of the block « Depuis le pod de test », the superuser's
     * password typed at psql's prompt, then a query of whether the server it reached is in recovery and read-only.
     *
     * @param terminal what the terminal showed (redacted), and the line's exit status
     * @param reached  for each psql line, in order, the table its query printed (none where it printed none)
     * @param podLeft  whether a pod of the test pod's name is still there once the line has exited
     */
    public record AtTerminal(ContainerResult terminal, Map<String, Optional<PsqlTables.Table>> reached, boolean podLeft) {
    }

    /** The query typed at each psql prompt of Test 4: what an application would ask of the server it reached. */
    static final String READ_ONLY_QUERY = "SELECT pg_is_in_recovery() AS in_recovery, "
            + "current_setting('transaction_read_only') AS read_only;";
    private static final Pattern BASH_PROMPT = Pattern.compile("[$#] $");
    private static final Pattern PSQL_PROMPT = Pattern.compile("=# $");
    private static final Duration TERMINAL_TURN = Duration.ofSeconds(90);

    /** Runs Test 4's two blocks as typed; on the cluster only (the backends' own {@code oc} has no {@code run}). */
    public AtTerminal test4() {
        List<GuideDocument.CodeBlock> blocks = context.guide().blocks().stream()
                .filter(b -> b.step().equals("4.4") && b.language().equals("bash")).toList();
        String run = blocks.stream().flatMap(b -> b.commands().stream()).filter(l -> l.startsWith("oc run ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("Test 4 has no `oc run` line"));
        List<String> psqls = blocks.stream().flatMap(b -> b.commands().stream()).filter(l -> l.startsWith("psql ")).toList();
        Matcher image = Pattern.compile("--image=(\\S+)").matcher(run);
        if (!image.find() || psqls.isEmpty()) {
            throw new IllegalStateException("Test 4: no `--image=` in `" + run + "`, or no psql line: " + psqls);
        }
        String typed = pair.backend().clusterImage(image.group(1)).filter(i -> !i.image().equals(image.group(1)))
                .map(i -> run.replace(image.group(), "--image=" + i.image() + (i.neverPulled() ? " --image-pull-policy=Never" : "")))
                .orElse(run);
        if (!typed.equals(run)) {
            context.evidence().adaptation("Test 4: `" + image.group() + "` → the image this cluster runs for it, never pulled: `"
                    + typed + "`.");
        }
        // in a namespace the run's pairs share, the test pod takes the pair's suffix, as the pair's objects do
        String pod = pair.manifests().inPairNames(run.replaceFirst("^oc run (\\S+).*", "$1"));
        context.evidence().adaptation("Test 4 at a terminal (script(1), 120 columns): each psql line typed at the test pod's "
                + "bash prompt, the superuser's password at psql's prompt (the guide does not say which password), then `"
                + READ_ONLY_QUERY + "` and `\\q`; the pod's bash left with `exit`.");
        List<TerminalTurn> turns = new ArrayList<>();
        for (String psql : psqls) {
            turns.add(TerminalTurn.type("the test pod's bash prompt", BASH_PROMPT, psql));
            // a server whose pg_hba.conf trusts the test pod asks for none: the reader then types none
            turns.add(TerminalTurn.typeSecretIfAsked("psql's password prompt", Pattern.compile("Password for user postgres: $"),
                    pair.adminPassword()));
            turns.add(TerminalTurn.type("psql's prompt", PSQL_PROMPT, READ_ONLY_QUERY));
            turns.add(TerminalTurn.type("psql's prompt after the query's result", PSQL_PROMPT, "\\q"));
        }
        turns.add(TerminalTurn.type("the test pod's bash prompt", BASH_PROMPT, "exit"));
        ContainerResult t = pair.clusterShell().orElseThrow().atTerminal(typed, turns, context.waits(), TERMINAL_TURN);
        Map<String, Optional<PsqlTables.Table>> reached = new LinkedHashMap<>();
        String rest = t.output();
        for (int i = 0; i < psqls.size(); i++) {
            String line = pair.manifests().inPairNames(psqls.get(i));
            int at = rest.indexOf(line);
            rest = at < 0 ? "" : rest.substring(at + line.length());
            int next = i + 1 < psqls.size() ? rest.indexOf(pair.manifests().inPairNames(psqls.get(i + 1))) : -1;
            String own = next < 0 ? rest : rest.substring(0, next);
            reached.put(psqls.get(i), PsqlTables.parse(own).stream().filter(x -> x.columns().contains("read_only")).findFirst());
        }
        boolean left = pair.clusterShell().orElseThrow().run("oc get pod " + pod + " -o name", context.waits()
                .scaled(Duration.ofSeconds(30))).succeeded();
        pair.ran("command#4.4/" + run, "exit " + t.exitCode(), t.succeeded(), t.output());
        reached.forEach((line, table) -> pair.ran("command#4.4/" + line, table.map(x -> "printed " + String.join(" | ",
                x.columns()) + ": " + String.join("; ", x.rows().stream().map(Object::toString).toList()))
                .orElse("printed no table"), table.isPresent(), t.output()));
        return new AtTerminal(t, reached, left);
    }

    /**
     * Test 4's promise for the psql line typed through {@code service} (as the guide names it): it reached a read-only
     * replica ({@code t}, {@code on}) or the writable master ({@code f}, {@code off}); an error with what it printed.
     */
    public static void reached(AtTerminal a, String service, boolean readOnly) {
        var line = a.reached().entrySet().stream().filter(x -> (x.getKey() + " ").contains(" -h " + service + " "))
                .findFirst().orElseThrow(() -> new AssertionError("Test 4 has no psql line through the Service " + service
                        + ": " + a.reached().keySet()));
        PsqlTables.Row row = line.getValue().filter(t -> t.rows().size() == 1).map(t -> t.rows().get(0))
                .orElseThrow(() -> new AssertionError("Test 4 as typed: `" + line.getKey() + "` printed no answer to `"
                        + READ_ONLY_QUERY + "`; the terminal showed:\n" + a.terminal().tail(40)));
        String got = row.get("in_recovery") + "/" + row.get("read_only");
        String want = answer(readOnly);
        if (!got.equals(want)) {
            throw new AssertionError("Test 4 as typed: `" + line.getKey() + "` reached a server whose in_recovery/read_only is "
                    + got + "; expected " + want + ", " + (readOnly ? "a read-only replica" : "the writable master"));
        }
    }

    /**
     * What psql prints of {@code pg_is_in_recovery()} and {@code transaction_read_only}, joined by a slash, on a read-only
     * replica ({@code t/on}) or on the writable master ({@code f/off}).
     */
    static String answer(boolean readOnly) {
        return readOnly ? "t/on" : "f/off";
    }

    private long replicaRows() {
        return Long.parseLong(pair.replicaNode().safeSql("SELECT count(*) FROM " + TABLE));
    }

    private Typed typed(String step, long rows, Predicate<GuideDocument.CodeBlock> checkBlock) {
        List<String> pods = List.of(commands.masterPodLine(), commands.slavePodLine());
        context.evidence().adaptation("Phase 4's blocks as typed: `MASTER_POD` and `SLAVE_POD` set first by the guide's own "
                + "lines of Étapes 3.1 and 2.5, as a reader who followed the guide has them in the shell.");
        long before = rows();
        Predicate<GuideDocument.CodeBlock> heredoc = b -> b.text().contains("<<EOF");
        context.evidence().executed(HEREDOC);
        ClusterCommands.SectionRun write = context.ledger().verbatim(HEREDOC, () -> {
            ClusterCommands.SectionRun r = commands.run(step, heredoc, Map.of(), pods, UnaryOperator.identity());
            long added = rows() - before;
            if (added != rows) {
                throw Deviation.result(HEREDOC, rows + " rows more in " + TABLE + " on the master", added == 0
                        && r.commands().stream().allMatch(ClusterCommands.CommandRun::succeeded) ? NOTHING_WRITTEN
                        : added + " rows more; " + r.commands()).raise();
            }
            return r;
        }, () -> {
            String from = "oc exec $MASTER_POD ";
            String to = "oc exec -i $MASTER_POD ";
            context.ledger().catalog().requireCorrection(HEREDOC, to.strip());
            ClusterCommands.SectionRun r = commands.corrected(step, heredoc, pods, line -> line.replace(from, to));
            long added = rows() - before;
            if (added != rows) {
                throw new AssertionError("the corrected block (`" + to.strip() + "`) wrote " + added + " rows, not " + rows
                        + ": " + r.commands());
            }
            return r;
        });
        long after = rows();
        pair.masterNode().waitForCatchup(pair.replicaNode(), pair.masterNode().lsn(), "Test " + step.substring(2)
                + "'s rows replayed on the replica", Duration.ofSeconds(30));
        ClusterCommands.SectionRun check = commands.run(step, checkBlock, Map.of(), pods, UnaryOperator.identity());
        return new Typed(step, before, after, write, check);
    }

    /** The rows of the guide's table on the master (0 while it does not exist). */
    private long rows() {
        if (pair.masterNode().safeSql("SELECT to_regclass('public." + TABLE + "')::text") == null) {
            return 0;
        }
        return Long.parseLong(pair.masterNode().safeSql("SELECT count(*) FROM " + TABLE));
    }
}

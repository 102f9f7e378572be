package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.errata.Erratum;
import io.github.pgreplication.harness.guide.GuideQuery;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Étape 1.6's and Phase 3's checks as their reader types them: each block run as written in bash, where {@code oc}
 * is the cluster's (or the backend's own), {@code POD_NAME} set by Étape 1.6's own line and {@code MASTER_POD} by
 * Étape 3.1's, and what each {@code oc exec … psql -c "…"} printed read back as psql's tables ({@link PsqlTables}),
 * to be compared in substance with the guide's « Résultat attendu ». The JDBC scenarios check the guide's SQL; these
 * check what its commands print.
 */
public final class TypedChecks {

    private static final Duration LOOK = Duration.ofSeconds(30);
    private static final Pattern CONDITION_MET = Pattern.compile("(?m)^pod/(\\S+) condition met$");
    private static final Pattern ERROR = Pattern.compile("(?m)^ERROR:\\s+(.*)$");

    /** What one of the guide's psql blocks printed: its run, and the tables psql printed. */
    public record Printed(ClusterCommands.CommandRun run, List<PsqlTables.Table> tables) {

        /** The one table it printed; an error showing the run when it printed none or several. */
        public PsqlTables.Table table() {
            if (tables.size() != 1) {
                throw new AssertionError(tables.size() + " tables printed, not one: " + run);
            }
            return tables.get(0);
        }

        /** Each table's rows as column → value maps, as the harness's JDBC results are given. */
        public List<List<Map<String, Object>>> results() {
            return tables.stream().map(PsqlTables.Table::asResult).toList();
        }

        /** The columns of the tables it printed, in order (a SHOW prints a table of one column, the setting's name). */
        public List<String> columns() {
            return tables.stream().flatMap(t -> t.columns().stream()).toList();
        }

        /** The messages of psql's {@code ERROR:} lines (its two spaces after the colon left out). */
        public List<String> errors() {
            return ERROR.matcher(run.output()).results().map(m -> m.group(1).strip()).toList();
        }
    }

    /**
     * Étape 1.6 as typed: its {@code oc wait}, the pod its {@code POD_NAME=$(oc get pods …)} named, whether the master's
     * pod was running and its server answering once the block had returned, and its three « Vérifications obligatoires ».
     */
    public record Step16(ClusterCommands.CommandRun waited, String podName, boolean masterReady, Printed role,
                         Printed slots, Wal wal) {

        /** The pods {@code oc wait} said met the condition ({@code pod/NAME condition met}); an error if it failed. */
        public List<String> podsMet() {
            if (!waited.succeeded()) {
                throw new AssertionError("Étape 1.6's oc wait failed: " + waited);
            }
            return CONDITION_MET.matcher(waited.output()).results().map(m -> m.group(1)).toList();
        }
    }

    /**
     * Étape 1.6's third check: the major of the psql in the master's pod, what the line printed as written, and what
     * the corrected line printed in its place where E35 reproduced (a psql before 15 prints only the last result of a
     * {@code -c} of several statements), its line the errata file's.
     */
    public record Wal(int psqlMajor, Printed asWritten, Optional<Printed> corrected) {

        /** What the reader reads: the corrected line's tables where E35 reproduced, else the line's as written. */
        public Printed printed() {
            return corrected.orElse(asWritten);
        }
    }

    /** The errata item of Étape 1.6's third check: three SHOW statements in one {@code psql -c} (erratum E35). */
    public static final String SHOW_IN_ONE_C = "guide-text#1.6/show-in-one-c";
    /** The settings Étape 1.6's third check shows, in its order. */
    public static final List<String> WAL_SETTINGS = List.of("wal_level", "max_wal_senders", "wal_keep_size");
    private static final Pattern PSQL_MAJOR = Pattern.compile("\\(PostgreSQL\\) (\\d+)");

    private final GuidePair pair;
    private final RunContext context;
    private final ClusterCommands commands;

    public TypedChecks(GuidePair pair, RunContext context) {
        this.pair = pair;
        this.context = context;
        this.commands = new ClusterCommands(pair, context);
    }

    /** Étape 1.6's four blocks, in one shell, as written: the wait, {@code POD_NAME=…}, then the three checks. */
    public Step16 step16() {
        ClusterCommands.SectionRun run = commands.run("1.6", b -> true, Map.of(), List.of(), UnaryOperator.identity());
        boolean ready = pair.master().isRunning() && answers();
        ClusterCommands.CommandRun podLine = run.command("POD_NAME=");
        // The harness's own look at the variable the guide's line set: the same line, then its value printed.
        ContainerResult found = pair.clusterShell().orElseThrow().run(podLine.command() + "\nprintf '%s' \"$POD_NAME\"",
                context.waits().scaled(LOOK));
        return new Step16(run.command("oc wait"), found.output().strip(), ready, printed(run, "FROM pg_roles"),
                printed(run, "pg_replication_slots"), wal(run, podLine));
    }

    /**
     * The third check as written must print its three settings. A psql before 15 sends the {@code -c}'s three
     * statements as one query and prints only the last result (E35); there the line the errata file gives runs in its
     * place, {@code POD_NAME} set by the guide's own line.
     */
    private Wal wal(ClusterCommands.SectionRun run, ClusterCommands.CommandRun podLine) {
        Printed asWritten = printed(run, "SHOW wal_level");
        int psqlMajor = podPsqlMajor();
        if (psqlMajor < 15) {
            context.ledger().psqlBefore15();
        }
        context.evidence().executed(SHOW_IN_ONE_C);
        Optional<Printed> corrected = context.ledger().verbatim(SHOW_IN_ONE_C, () -> {
            if (!asWritten.columns().equals(WAL_SETTINGS)) {
                throw Deviation.result(SHOW_IN_ONE_C, "three tables: " + String.join(", ", WAL_SETTINGS),
                        "tables printed: " + String.join(", ", asWritten.columns())).raise();
            }
            return Optional.<Printed>empty();
        }, () -> {
            String correction = commands.correctedCommands(SHOW_IN_ONE_C).get(0);
            Printed fixed = printed(commands.corrected("1.6", b -> b.text().contains("SHOW wal_level"),
                    List.of(podLine.command()), line -> correction), "SHOW wal_level");
            if (fixed.tables().size() != 3) {
                throw new AssertionError("the corrected third check printed " + fixed.tables().size() + " tables, not 3: "
                        + fixed.run());
            }
            return Optional.of(fixed);
        });
        return new Wal(psqlMajor, asWritten, corrected);
    }

    /** The major of the psql that {@code oc exec <master's pod> -- psql} runs. */
    private int podPsqlMajor() {
        ContainerResult r = pair.backend().exec(pair.master(), List.of("psql", "--version"), Map.of(), context.waits().scaled(LOOK));
        Matcher m = PSQL_MAJOR.matcher(r.output());
        if (r.exitCode() != 0 || !m.find()) {
            throw new AssertionError("`psql --version` in the master's pod (exit " + r.exitCode() + "): " + r.output());
        }
        return Integer.parseInt(m.group(1));
    }

    /**
     * The reconnaissance's version check as written ({@code POD_NAME=$(oc get pods -l name=postgresql …)}, then {@code
     * oc exec $POD_NAME -- psql --version}), and the version the master's server binary gives in that pod.
     */
    public record Version(ClusterCommands.VersionCheck typed, String server) {

        /** Whether psql and the server are of one major version (« psql (PostgreSQL) 15.x » and « postgres (PostgreSQL) 15.y »). */
        public boolean sameMajor() {
            return major(typed.psqlVersion()) != null && major(typed.psqlVersion()).equals(major(server));
        }

        private static String major(String version) {
            Matcher m = PSQL_MAJOR.matcher(version);
            return m.find() ? m.group(1) : null;
        }
    }

    /** The reconnaissance's version check, its block run as written. */
    public Version reconnaissanceVersion() {
        ClusterCommands.SectionRun run = commands.run("reconnaissance", b -> b.text().contains("psql --version"), Map.of(),
                List.of(), UnaryOperator.identity());
        ContainerResult server = pair.backend().exec(pair.master(), List.of("postgres", "--version"), Map.of(),
                context.waits().scaled(LOOK));
        return new Version(commands.masterVersion(run), server.output().strip());
    }

    /** Étape 3.1's block as written: its own {@code MASTER_POD=…} line, then its query of pg_stat_replication. */
    public Printed step31() {
        return printed(commands.run("3.1", b -> true, Map.of(), List.of(), UnaryOperator.identity()), "pg_stat_replication");
    }

    /**
     * Étape {@code step}'s psql block as written (3.2's, 3.3's), {@code MASTER_POD} set first by Étape 3.1's own line,
     * as a reader who followed the guide has it in the shell.
     */
    public Printed afterMasterPod(String step) {
        return afterMasterPod(step, "");
    }

    /**
     * The block of section {@code step} whose text holds {@code fragment}, and its one psql command, as written (a
     * troubleshooting's check), {@code MASTER_POD} set first by Étape 3.1's own line.
     */
    public Printed afterMasterPod(String step, String fragment) {
        context.evidence().adaptation("The blocks that use `MASTER_POD` without setting it (Étapes 3.2 and 3.3, the "
                + "troubleshooting's checks on the master) as typed: `MASTER_POD` set first by the guide's own line of "
                + "Étape 3.1, as a reader who followed the guide has it in the shell.");
        return printed(commands.run(step, b -> b.text().contains(fragment), Map.of(), List.of(commands.masterPodLine()),
                UnaryOperator.identity()), fragment);
    }

    /** The erratum {@code id} as the errata file records it for the psql query of Étape {@code step}; an error if it does not. */
    public Erratum recordedFor(String step, String id) {
        List<String> items = context.guide().queries().stream().filter(q -> q.step().equals(step)).map(GuideQuery::item).toList();
        return items.stream().flatMap(i -> context.ledger().catalog().forItem(i).stream()).filter(e -> e.id().equals(id))
                .findFirst().orElseThrow(() -> new AssertionError("the errata file records no " + id + " for " + items));
    }

    /** A size psql printed (pg_size_pretty's {@code 1201 MB}), in bytes; an error for anything else. */
    public static long sizeInBytes(Object printed) {
        return ServerSettings.bytes(String.valueOf(printed))
                .orElseThrow(() -> new AssertionError("not a size as pg_size_pretty prints one: " + printed));
    }

    /** The run of the section's one psql command whose line holds {@code fragment}, and the tables it printed. */
    private static Printed printed(ClusterCommands.SectionRun run, String fragment) {
        List<ClusterCommands.CommandRun> found = run.commands().stream()
                .filter(c -> c.guideLine().contains("psql") && c.guideLine().contains(fragment)).toList();
        if (found.size() != 1) {
            throw new IllegalStateException("the guide's section " + run.step() + " has " + found.size() + " psql commands with « "
                    + fragment + " », not one: " + run.commands().stream().map(ClusterCommands.CommandRun::guideLine).toList());
        }
        return new Printed(found.get(0), PsqlTables.parse(found.get(0).output()));
    }

    private boolean answers() {
        try {
            return "1".equals(pair.masterNode().safeSql("SELECT 1"));
        } catch (AssertionError refused) {
            return false;
        }
    }
}

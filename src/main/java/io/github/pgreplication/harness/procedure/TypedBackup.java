package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.run.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Étape 1.1's database backup as its reader types it: {@code oc exec $POD_NAME -- pg_dumpall -U postgres >
 * backup-database.sql}, {@code POD_NAME} set by the reconnaissance's own line, and what it wrote read back: whether the
 * file is a whole pg_dumpall (its closing line), and how many rows it copies of each table. The file holds the roles'
 * password hashes: it stays in a directory of the run's, deleted once read, and is never printed.
 */
public final class TypedBackup {

    private static final String BACKUP_LINE = "pg_dumpall";
    private static final String FILE = "backup-database.sql";
    private static final String COMPLETE = "-- PostgreSQL database cluster dump complete";
    private static final Pattern COPY = Pattern.compile("(?m)^COPY (\\S+) \\([^)]*\\) FROM stdin;$");

    /** What the line did, and what its file holds: whether it is whole, and the rows it copies by table. */
    public record Backup(ClusterCommands.CommandRun run, long bytes, boolean complete, Map<String, Long> rowsByTable) {
    }

    private final RunContext context;
    private final ClusterCommands commands;

    public TypedBackup(GuidePair pair, RunContext context) {
        this.context = context;
        this.commands = new ClusterCommands(pair, context);
    }

    /** The backup line as written, in a directory of the run's, then its file read and deleted. */
    public Backup run() {
        context.evidence().adaptation("Étape 1.1 as typed: its `pg_dumpall` line alone, `POD_NAME` set first by the "
                + "reconnaissance's own line, in a directory of the run's (deleted once read: the file holds the roles' "
                + "password hashes). Its `oc get dc/… svc/… pvc/… configmap secret -o yaml >` lines are not run here: they "
                + "save what « Rollback du Master » restores, and run, with it, where the master runs as its DeploymentConfig "
                + "(TypedMasterConfig).");
        Path dir = RunDirectory.scratch("backup");
        try {
            ClusterCommands.SectionRun run = commands.run("1.1", b -> true, l -> l.contains(BACKUP_LINE), Map.of(),
                    List.of("cd '" + dir + "' || exit 1", commands.podNameLine()), UnaryOperator.identity());
            return read(run.command("oc exec"), dir);
        } finally {
            RunDirectory.deleteTree(dir);
        }
    }

    /** What the backup line ({@code run}) wrote in {@code dir}: its file's size, whether it is whole, its rows by table. */
    static Backup read(ClusterCommands.CommandRun run, Path dir) {
        Path file = dir.resolve(FILE);
        try {
            String dump = Files.exists(file) ? Files.readString(file) : "";
            return new Backup(run, dump.length(), dump.stripTrailing().contains(COMPLETE), rows(dump));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE + " in " + dir, e);
        }
    }

    /** The rows of each {@code COPY … FROM stdin;} of a dump, up to its {@code \.}. */
    static Map<String, Long> rows(String dump) {
        Map<String, Long> out = new LinkedHashMap<>();
        Matcher m = COPY.matcher(dump);
        while (m.find()) {
            int end = dump.indexOf("\n\\.\n", m.end());
            if (end < 0) {
                throw new AssertionError("the COPY of " + m.group(1) + " in " + FILE + " has no end (\\.)");
            }
            String body = dump.substring(m.end() + 1, end + 1);
            out.merge(m.group(1), body.isEmpty() ? 0L : body.lines().count(), Long::sum);
        }
        return out;
    }
}

package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.errata.ErrataLedger;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.run.Evidence;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Étape 1.3's WAL archive, « optionnel mais recommandé », on a running master: where master.conf's archive_command
 * writes (the pod's emptyDir), and whether the archive outlives the master's pod (E18).
 */
public final class WalArchive {

    private final GuidePair pair;
    private final RunContext context;

    public WalArchive(GuidePair pair, RunContext context) {
        this.context = context;
        this.pair = pair;
    }

    /** What the master's WAL archive held before and after its pod was recreated. */
    public record ArchiveAcrossRestart(String archiveMode, int before, int after) {

        /** The report's note (Étape 1.3). */
        public Evidence.Note note() {
            return new Evidence.Note("1.3", "WAL archive across a recreation of the master's pod: archive_mode = "
                    + archiveMode + "; " + before + " archived file(s) before, " + after + " after.");
        }
    }

    /**
     * Erratum check: master.conf archives WAL (« optionnel mais recommandé ») to the pod's emptyDir. Segments are
     * archived, then the master's pod is recreated (a rollout, {@code oc delete pod}, a node drain): an archive
     * must still hold them.
     */
    public ArchiveAcrossRestart archiveSurvivesRestart(Duration within) throws SQLException {
        String mode;
        try (Connection c = pair.masterNode().connect()) {
            mode = (String) Sql.scalar(c, "SELECT current_setting('archive_mode')");
        }
        if ("off".equals(mode)) {
            return checked(context.ledger(), new ArchiveAcrossRestart(mode, 0, 0));
        }
        String dir;
        try (Connection c = pair.masterNode().connect()) {
            dir = archiveDirectory((String) Sql.scalar(c, "SELECT current_setting('archive_command')"));
        }
        long target;
        try (Connection c = pair.masterNode().connect()) {
            WalTraffic.advance(c, 2);
            target = ((Number) Sql.scalar(c, "SELECT archived_count FROM pg_stat_archiver")).longValue();
        }
        context.waits().until("the master has archived the switched WAL segments (pg_stat_archiver)", within,
                Duration.ofMillis(50), () -> archivedCount() > 0 && filesIn(dir) > 0, () -> "archived_count "
                        + archivedCount() + " (was " + target + "), files in the archive " + filesIn(dir));
        int before = filesIn(dir);
        pair.stopMaster();
        pair.startMaster();
        int after;
        try (Connection c = pair.masterNode().connect()) {
            // Read again: a host adaptation may give the new pod's emptyDir another path (the pod's is the same).
            after = filesIn(archiveDirectory((String) Sql.scalar(c, "SELECT current_setting('archive_command')")));
        }
        return checked(context.ledger(), new ArchiveAcrossRestart(mode, before, after));
    }

    /**
     * The erratum check of {@link #archiveSurvivesRestart} on what the archive held, through the ledger: nothing to
     * check when the master does not archive, else the archive must not be empty after the pod was recreated.
     */
    static ArchiveAcrossRestart checked(ErrataLedger ledger, ArchiveAcrossRestart seen) {
        String item = "configmap/postgresql-master-config#archive-on-emptydir";
        if ("off".equals(seen.archiveMode())) {
            return ledger.verbatim(item, () -> seen);
        }
        return ledger.verbatim(item, () -> {
            if (seen.after() == 0) {
                throw Deviation.result(item, "the archived segments still in the archive",
                        "archive empty after the master's pod was recreated").raise();
            }
            return seen;
        }, () -> seen);
    }

    private long archivedCount() {
        try (Connection c = pair.masterNode().connect()) {
            return ((Number) Sql.scalar(c, "SELECT archived_count FROM pg_stat_archiver")).longValue();
        } catch (SQLException e) {
            return -1;
        }
    }

    /** The archive directory of an archive_command of the guide's shape ({@code cp %p <dir>/%f}), as the pod sees it. */
    static String archiveDirectory(String archiveCommand) {
        Matcher m = Pattern.compile("cp %p (\\S+)/%f").matcher(archiveCommand);
        if (!m.find()) {
            throw new AssertionError("archive_command is not of the guide's shape `cp %p <dir>/%f`: " + archiveCommand);
        }
        return m.group(1);
    }

    /** Files in a directory of the master's pod, counted inside the pod. */
    private int filesIn(String hostOrPodDir) {
        ContainerResult r = pair.backend().exec(pair.master(), List.of("/bin/bash", "-c",
                "if [ -d \"$DIR\" ]; then find \"$DIR\" -maxdepth 1 -type f | wc -l; else echo 0; fi"),
                Map.of("DIR", hostOrPodDir), GuidePair.SCRIPT);
        return Integer.parseInt(r.output().strip().lines().reduce((a, b) -> b).orElse("0").strip());
    }
}

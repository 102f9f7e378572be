package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.probes.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Étape 1.3's WAL archiving, « optionnel mais recommandé »: what the manifests under test turn on must work on the
 * pair. The master's archive_mode must be the one its master.conf sets; when it is on, the segment the master leaves
 * at a switch of WAL must be archived, and the archiver must report no failure ({@code pg_stat_archiver}). A backend
 * that adapts the archive directory (the local one maps it into the run) would otherwise hide an archive_command that
 * fails in every pod.
 */
public final class WalArchiving {

    /** What the archiver showed: before the switch, the segment the switch completed, and after. */
    public record Archived(String segment, Map<String, Object> before, Map<String, Object> after, long millis) {

        public long archived() {
            return count(after, "archived_count") - count(before, "archived_count");
        }

        @Override
        public String toString() {
            return "segment " + segment + " archived in " + millis + " ms; pg_stat_archiver before " + before + ", after "
                    + after;
        }
    }

    /** The archiver is woken by the switch; a working archive_command takes well under this. */
    private static final Duration ARCHIVED_WITHIN = Duration.ofSeconds(10);
    private static final String ARCHIVER = "SELECT archived_count, last_archived_wal, failed_count, last_failed_wal, "
            + "last_failed_time FROM pg_stat_archiver";

    private final GuidePair pair;
    private final RunContext context;

    public WalArchiving(GuidePair pair, RunContext context) {
        this.pair = pair;
        this.context = context;
    }

    /** Whether the master.conf under test turns archiving on ({@code on} or {@code always}); off when it is silent. */
    public boolean turnedOnByTheManifests() {
        return pair.manifests().masterConf("archive_mode", false).map(WalArchiving::isOn).orElse(false);
    }

    /** The master's archive_mode must be the one its master.conf under test sets (off when it sets none). */
    public String archiveModeAsConfigured() throws SQLException {
        String configured = pair.manifests().masterConf("archive_mode", false).orElse("off");
        try (Connection c = pair.masterNode().connect()) {
            String shown = (String) Sql.scalar(c, "SELECT setting FROM pg_settings WHERE name = 'archive_mode'");
            if (isOn(shown) != isOn(configured)) {
                throw new AssertionError("archive_mode: the master.conf under test sets '" + configured
                        + "', the master runs with '" + shown + "'");
            }
            return shown;
        }
    }

    /**
     * When the master.conf under test turns archiving on, {@link #switchAndAwaitArchived()}, noted for the report; when
     * it does not, a note that there was nothing to archive, and none.
     */
    public Optional<Archived> archivedWhenOn() throws SQLException {
        if (!turnedOnByTheManifests()) {
            context.evidence().note("1.3", "archive_mode is off in the master.conf under test: no WAL archiving to check "
                    + "(the guide calls it « optionnel mais recommandé »)");
            return Optional.empty();
        }
        Archived archived = switchAndAwaitArchived();
        context.evidence().note("1.3", "WAL archiving, turned on by the master.conf under test: " + archived);
        return Optional.of(archived);
    }

    /**
     * The fault of the negative scenario: archive_mode on and an archive_command that fails ({@code false}), set with
     * ALTER SYSTEM (postgresql.auto.conf, in the data directory, read whatever config_file says), and the master's pod
     * restarted for archive_mode to take effect.
     */
    public void failEveryArchive() throws SQLException {
        try (Connection c = pair.masterNode().connect(); Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET archive_mode = 'on'");
            s.execute("ALTER SYSTEM SET archive_command = 'false'");
        }
        pair.stopMaster();
        pair.startMaster();
    }

    /**
     * With archiving on: a commit, {@code pg_switch_wal()}, then the segment it completed must be archived, with no
     * failure of the archiver, within {@link #ARCHIVED_WITHIN}; a failure stops the wait at once, naming it.
     */
    public Archived switchAndAwaitArchived() throws SQLException {
        try (Connection c = pair.masterNode().connect()) {
            String mode = (String) Sql.scalar(c, "SELECT setting FROM pg_settings WHERE name = 'archive_mode'");
            if (!isOn(mode)) {
                throw new AssertionError("archive_mode is '" + mode + "' on the master: nothing to archive");
            }
            Map<String, Object> before = archiver(c);
            long start = System.nanoTime();
            Sql.scalar(c, "SELECT txid_current()"); // a commit record: the switch then has a segment to complete
            String segment = (String) Sql.scalar(c, "SELECT pg_walfile_name(pg_switch_wal())");
            context.waits().until("the master archives WAL segment " + segment + " (pg_stat_archiver.last_archived_wal)",
                    ARCHIVED_WITHIN, Duration.ofMillis(50),
                    () -> archivedSince(c, segment),
                    () -> count(archiver(c), "failed_count") > count(before, "failed_count"),
                    () -> "pg_stat_archiver before the switch: " + before + "\nnow: " + safeArchiver(c)
                            + "\narchive_command: " + safeSetting(c, "archive_command") + "\nthe master's log:\n"
                            + pair.masterNode().logTail());
            Map<String, Object> after = archiver(c);
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (count(after, "failed_count") > count(before, "failed_count") || after.get("last_failed_wal") != null) {
                throw new AssertionError("the archiver reports a failure: pg_stat_archiver before the switch " + before
                        + ", after " + after);
            }
            return new Archived(segment, before, after, millis);
        }
    }

    /** Whether the archiver's last segment is this one or a later one of the same kind (not a .history file). */
    private static boolean archivedSince(Connection c, String segment) throws SQLException {
        Object last = archiver(c).get("last_archived_wal");
        return last != null && last.toString().matches("[0-9A-F]{24}") && last.toString().compareTo(segment) >= 0;
    }

    private static Map<String, Object> archiver(Connection c) throws SQLException {
        return Sql.rows(c, ARCHIVER).get(0);
    }

    private static String safeArchiver(Connection c) {
        try {
            return archiver(c).toString();
        } catch (SQLException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static String safeSetting(Connection c, String name) {
        try {
            return String.valueOf(Sql.scalar(c, "SELECT setting FROM pg_settings WHERE name = ?", name));
        } catch (SQLException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static long count(Map<String, Object> row, String column) {
        return Optional.ofNullable(row.get(column)).map(v -> ((Number) v).longValue()).orElse(0L);
    }

    static boolean isOn(String value) {
        return Set.of("on", "always", "true", "yes", "1").contains(value.trim().replace("'", "").toLowerCase(Locale.ROOT));
    }
}

package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.run.Evidence;
import io.github.pgreplication.harness.run.Secrets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.postgresql.PGConnection;

/**
 * Étape 2.2's setup-slave.sh under real inputs, in « Recréer depuis zéro »: a wrong superuser password, which its wait
 * for the master must not take for an unavailable master (E15), and a replication password holding any printable
 * character, which it and {@code pg_basebackup -R} must carry unharmed.
 */
public final class SetupSlaveScript {

    static final String SLAVE_SCRIPT = "setup-slave.sh";

    private final GuidePair pair;
    private final RunContext context;
    /** What the guide's setup-slave.sh says once its wait for the master is over. */
    private static final String PAST_THE_WAIT = "Master disponible";

    public SetupSlaveScript(GuidePair pair, RunContext context) {
        this.context = context;
        this.pair = pair;
    }

    /**
     * « Recréer depuis zéro » with a wrong superuser password in the init container (the Secret {@code postgresql}
     * rotated, or « Adapter » done wrong): setup-slave.sh must not take a refused login for an unavailable master.
     * As published it loops on « Master non disponible » for ever; the corrected script waits with pg_isready,
     * which needs no password, and goes on.
     */
    public ContainerResult recreateWithWrongAdminPassword(Duration initTimeout) {
        String item = "configmap/postgresql-slave-config#setup-slave.sh/wait-for-master";
        String wrong = Secrets.newPassword();
        return context.ledger().verbatim(item, () -> {
            UnaryOperator<ContainerPlan> withWrong = p -> ContainerPlans.withEnv(p, "POSTGRESQL_ADMIN_PASSWORD", wrong);
            ContainerResult r = pair.recreateReplicaFromScratch(withWrong, initTimeout);
            if (r.timedOut() && r.output().contains(PAST_THE_WAIT)) {
                // past its wait for the master, which is what this checks, and still copying on a loaded node: not the
                // defect; from scratch again, given the time a script has
                r = pair.recreateReplicaFromScratch(withWrong, GuidePair.SCRIPT);
            }
            if (r.timedOut() && masterReady()) {
                throw Deviation.result(item, "pg_basebackup runs, the master being available",
                        "still waiting, saying: " + lastSaying(r, "Master non disponible")).raise();
            }
            return r;
        }, () -> {
            GuideModel corrected = pair.manifests().corrected();
            String script = corrected.manifests().configMapValue(corrected.names().get(GuideNames.Role.REPLICA_CONFIG),
                    SLAVE_SCRIPT);
            ContainerResult r = pair.recreateReplicaFromScratch(p -> ContainerPlans.withFile(
                    ContainerPlans.withEnv(p, "POSTGRESQL_ADMIN_PASSWORD", wrong), SLAVE_SCRIPT, script), initTimeout);
            if (!r.succeeded()) {
                throw new AssertionError("the corrected setup-slave.sh with the same wrong superuser password failed (exit "
                        + r.exitCode() + (r.timedOut() ? ", timed out" : "") + "):\n" + r.tail(15));
            }
            return r;
        });
    }

    /** The script's last line saying {@code text} (a timeout's kill may print after it), else its last line. */
    static String lastSaying(ContainerResult r, String text) {
        return r.output().lines().filter(l -> l.contains(text)).reduce((a, b) -> b)
                .or(() -> r.output().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b)).orElse("(nothing)").strip();
    }

    /** pg_isready against the master's Service, from the harness: is the master accepting connections? */
    public boolean masterReady() {
        try (Connection c = pair.masterNode().connect()) {
            return Sql.scalar(c, "SELECT 1") != null;
        } catch (SQLException e) {
            return false;
        }
    }

    /** « Recréer depuis zéro » with a replication password holding every character a shell or a conninfo treats apart. */
    public record PrintablePasswordRun(ContainerResult setup) {

        /** The report's note (Étape 2.2): why such a password goes through, and what is harmless. */
        public Evidence.Note note() {
            return new Evidence.Note("2.2", "A replication password holding spaces, single and double quotes, `$`, a "
                    + "backslash, `@`, `:` and `*` goes through setup-slave.sh unharmed: `PGPASSWORD=${REPLICATION_PASSWORD}` "
                    + "is an assignment, which bash never splits nor globs, and `pg_basebackup -R` quotes the value it writes "
                    + "into primary_conninfo; the replica streamed with it. Harmless (the `-h ${MASTER_SERVICE}` and "
                    + "`-D ${PGDATA}` words are unquoted too, harmless with a Service name and the image's PGDATA).");
        }
    }

    /**
     * A fresh password, random on each call, holding spaces, single and double quotes, a dollar, a backslash, a
     * glob's {@code *} and the {@code extra} characters (a conninfo's {@code @} and {@code :}, say); remembered for
     * redaction, so that no log nor report shows it.
     */
    static String printablePassword(String... extra) {
        String password = Secrets.newPassword().substring(0, 10) + " a'b\"c $HOME \\n " + String.join("", extra) + " *";
        Secrets.remember(password);
        return password;
    }

    /**
     * The replicator's password becomes a fresh {@link #printablePassword}, set on the master without sending it in
     * clear (pgjdbc computes the SCRAM verifier, so that no server log holds it); then the replica is recreated from
     * scratch with it in the init container's REPLICATION_PASSWORD.
     */
    public PrintablePasswordRun recreateWithPrintablePassword(String... extra) throws SQLException {
        String password = printablePassword(extra);
        try (Connection c = pair.masterNode().connect()) {
            c.unwrap(PGConnection.class).alterUserPassword(pair.names().replicationRole(), password.toCharArray(),
                    "scram-sha-256");
        }
        return new PrintablePasswordRun(new Troubleshooting(pair, context).recreateWithReplicationPassword(
                pair.names().get(GuideNames.Role.REPLICATION_SECRET), password));
    }
}

package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.run.Evidence;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * What looks wrong in the guide and proves harmless on a running pair, each an observation of the report rather than
 * an erratum: psql's exit status when its SQL fails (Étape 4.1's heredocs), {@code hot_standby = on} in master.conf,
 * and pg_hba.conf's {@code md5} lines before the SCRAM passwords of PostgreSQL 14 and later.
 */
public final class HarmlessFindings {

    private final GuidePair pair;
    private final RunContext context;

    public HarmlessFindings(GuidePair pair, RunContext context) {
        this.context = context;
        this.pair = pair;
    }

    /** Exit statuses of psql in the master pod when its SQL fails: as a heredoc (Test 1, Test 3) and with -c. */
    public record PsqlOnError(int heredocExit, int dashCExit, String heredocError) {

        /** The report's note (Étape 4.1). */
        public Evidence.Note note() {
            return new Evidence.Note("4.1", "The guide's `oc exec $MASTER_POD -- psql -U postgres <<EOF` (Test 1, Test 3) "
                    + "has no ON_ERROR_STOP: with a failing INSERT it printed « " + heredocError + " » and exited "
                    + heredocExit + "; `psql -c` with the same INSERT exited " + dashCExit + ". A reader sees the "
                    + "error, a script calling these commands does not; the guide's next command (SELECT on the slave) shows "
                    + "the rows missing, so Test 1 and Test 3 still fail visibly. Observation, not an erratum.");
        }
    }

    /**
     * The guide runs SQL with {@code oc exec $MASTER_POD -- psql -U postgres <<EOF} (Test 1, Test 3) and with
     * {@code psql -c} (the checks): does each say so when its SQL fails? A failing INSERT into a table that does
     * not exist, run both ways in the master pod.
     */
    public PsqlOnError psqlOnError() {
        String sql = "INSERT INTO guide_defects_no_such_table (message) VALUES ('x');";
        ContainerResult heredoc = pair.backend().exec(pair.master(), List.of("/bin/bash", "-c",
                "psql -U postgres <<EOF\n" + sql + "\nEOF"), Map.of(), GuidePair.SCRIPT);
        ContainerResult dashC = pair.backend().exec(pair.master(), List.of("psql", "-U", "postgres", "-c", sql), Map.of(),
                GuidePair.SCRIPT);
        String error = heredoc.output().lines().map(String::strip).filter(l -> l.startsWith("ERROR:")).findFirst()
                .orElse("(no error printed)");
        return new PsqlOnError(heredoc.exitCode(), dashC.exitCode(), error);
    }

    /** hot_standby as the master runs with it, and whether the master is in recovery. */
    public record HotStandby(String setting, boolean inRecovery) {

        /** As the scenario reads it: {@code on, pg_is_in_recovery() = false}. */
        public String seen() {
            return setting + ", pg_is_in_recovery() = " + inRecovery;
        }

        /** The report's note (Étape 1.3). */
        public Evidence.Note note() {
            return new Evidence.Note("1.3", "master.conf sets hot_standby = on on the master: it runs with hot_standby "
                    + seen() + ". The setting matters only in recovery, so it is inert on the master (and ready should the "
                    + "master ever be rebuilt as a standby). Harmless.");
        }
    }

    public HotStandby hotStandbyOnMaster() throws SQLException {
        try (Connection c = pair.masterNode().connect()) {
            return new HotStandby((String) Sql.scalar(c, "SELECT current_setting('hot_standby')"),
                    (Boolean) Sql.scalar(c, "SELECT pg_is_in_recovery()"));
        }
    }

    /**
     * The server's major, the stored form of the replicator's password (its prefix only: {@code SCRAM-SHA-256},
     * {@code md5}, {@code none} or {@code other}), and the master's answer to a replication login with the deployed
     * password through pg_hba.conf's md5 line: the SQLSTATE, or null when accepted.
     */
    public record PasswordThroughMd5(int serverMajor, String storedAs, String loginSqlState) {

        /** The report's note (Étape 1.3). */
        public Evidence.Note note() {
            String exchange = "SCRAM-SHA-256".equals(storedAs)
                    ? " (password_encryption's default since 14; `ENCRYPTED` is a no-op): an md5 line then runs a SCRAM "
                            + "exchange, and the replication login succeeded. Harmless; `scram-sha-256` in pg_hba.conf would "
                            + "refuse the md5 fallback outright."
                    : " (password_encryption's default before 14): the md5 line runs an md5 exchange, and the replication "
                            + "login succeeded. From PostgreSQL 14 on the same role's password is SCRAM and the line still "
                            + "accepts it.";
            return new Evidence.Note("1.3", "pg_hba.conf says md5 while PostgreSQL " + serverMajor + " stores the "
                    + "replicator's password as " + storedAs + exchange);
        }
    }

    public PasswordThroughMd5 replicatorPasswordThroughMd5() throws SQLException {
        String storedAs;
        try (Connection c = pair.masterNode().connect()) {
            storedAs = String.valueOf(Sql.scalar(c, "SELECT CASE WHEN rolpassword LIKE 'SCRAM-SHA-256$%' THEN 'SCRAM-SHA-256' "
                    + "WHEN rolpassword LIKE 'md5%' THEN 'md5' WHEN rolpassword IS NULL THEN 'none' ELSE 'other' END "
                    + "FROM pg_authid WHERE rolname = ?", pair.names().replicationRole()));
        }
        String deployed = new Troubleshooting(pair, context).deployedReplicationPassword();
        return new PasswordThroughMd5(pair.masterNode().majorVersion(), storedAs, ReplicationLogin.sqlState(pair, pair.names().replicationRole(), deployed));
    }
}

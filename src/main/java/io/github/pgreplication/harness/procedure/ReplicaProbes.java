package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.ClusterShell;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.backend.Probes;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.ProbePlan;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.run.Evidence;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the replica's probes tell about its replication (issue 23, item 6): the guide's readiness and liveness probes
 * are both {@code pg_isready -U postgres}, which asks whether the server accepts connections, not whether it receives
 * its master's WAL. A replica whose master refuses its replication role is checked, for a period, with the manifest's
 * own probe commands run in its container as the kubelet runs them, and on a cluster with the pod's Ready condition
 * and the endpoints of its Service, as a reader would type them.
 */
public final class ReplicaProbes {

    private static final String TABLE = "probes_unseen";
    private static final Duration POLL = Duration.ofSeconds(1);

    /** One look at the replica while its replication is refused. */
    public record Look(int readinessExit, int livenessExit, int walSenders, String masterLsn, String replayLsn,
                       long rowsOnMaster, long rowsThroughService, Optional<String> ready, Optional<String> endpoints) {

        /** The replica replays none of the WAL written on the master since its replication was refused. */
        boolean replaysNothing() {
            return walSenders == 0 && rowsOnMaster > rowsThroughService;
        }

        boolean probesPass() {
            return readinessExit == 0 && livenessExit == 0;
        }

        @Override
        public String toString() {
            return "readiness probe exit " + readinessExit + ", liveness probe exit " + livenessExit + "; the master's "
                    + "walsenders " + walSenders + ", its WAL at " + masterLsn + ", the replica's replay at " + replayLsn
                    + "; rows of " + TABLE + ": " + rowsOnMaster + " on the master, " + rowsThroughService
                    + " read through the replica's Service" + ready.map(r -> "; pod Ready=" + r).orElse("")
                    + endpoints.map(e -> "; Service endpoints [" + e + "]").orElse("");
        }
    }

    private final GuidePair pair;
    private final RunContext context;

    public ReplicaProbes(GuidePair pair, RunContext context) {
        this.pair = pair;
        this.context = context;
    }

    /**
     * A table on the master that has reached the replica; then the master stops admitting the replication role
     * ({@code ALTER ROLE … NOLOGIN}: the walreceiver's next login is refused, 28000), ends its walsenders, and writes a
     * row the replica will not receive. The replica's server keeps running and answering, on the data it has.
     */
    public void refuseReplication(String replicationRole) throws SQLException {
        try (Connection m = pair.masterNode().connect()) {
            Sql.script(m, "CREATE TABLE IF NOT EXISTS " + TABLE + " (id int)");
        }
        pair.masterNode().waitForCatchup(pair.replicaNode(), pair.masterNode().lsn(),
                "the replica has the table " + TABLE + " before its replication is refused", GuidePair.START);
        try (Connection m = pair.masterNode().connect()) {
            Sql.script(m, "ALTER ROLE \"" + replicationRole.replace("\"", "\"\"") + "\" NOLOGIN");
            Sql.rows(m, "SELECT pg_terminate_backend(pid)::text FROM pg_stat_replication");
            context.waits().until("the master has no walsender left once its replication role may not log in",
                    Duration.ofSeconds(10), Duration.ofMillis(100), () -> pair.masterNode().walSenders().isEmpty(),
                    () -> "pg_stat_replication: " + pair.masterNode().lastSeen(pair.replicaNode()));
            Sql.script(m, "INSERT INTO " + TABLE + " VALUES (1)");
        }
    }

    /**
     * Checks that for the whole {@code period} the replica receives nothing (no walsender on the master, the row
     * written after the refusal unread through the replica's Service) while both of the manifest's probes exit 0, run
     * in the replica's container; with {@code onCluster}, also that its pod stays Ready and an endpoint of
     * {@code replicaService}, as {@code oc get} shows them. The last look, for the report.
     */
    public Look holdFor(Duration period, String replicaService, boolean onCluster) {
        AtomicReference<Look> last = new AtomicReference<>();
        context.waits().holds("the replica refused by its master receives no WAL, while its readiness and liveness probes "
                        + "pass" + (onCluster ? " and its pod stays Ready, an endpoint of the Service " + replicaService : ""),
                period, POLL, () -> {
                    Look l = look(replicaService, onCluster);
                    last.set(l);
                    return l.replaysNothing() && l.probesPass()
                            && (!onCluster || l.ready().orElse("").equals("True")
                            && List.of(l.endpoints().orElse("").split(" ")).contains(pair.replica().name()));
                }, () -> String.valueOf(last.get()));
        return last.get();
    }

    /**
     * Expects {@link #holdFor} to fail on a pair whose replication is intact (the check proved able to fail): the
     * failure's message.
     */
    public String holdFailsOnAHealthyPair(Duration period, String replicaService) throws SQLException {
        try (Connection m = pair.masterNode().connect()) {
            Sql.script(m, "CREATE TABLE IF NOT EXISTS " + TABLE + " (id int)");
            Sql.script(m, "INSERT INTO " + TABLE + " VALUES (1)");
        }
        try {
            holdFor(period, replicaService, false);
        } catch (AssertionError expected) {
            return expected.getMessage();
        }
        throw new AssertionError("the check of a replica receiving no WAL passed on a pair whose replication is intact: "
                + "it cannot fail");
    }

    /** The report's observation (Étape 2.3). */
    public Evidence.Note note(Duration period, Look last) {
        return new Evidence.Note("2.3", "The replica's probes say nothing of its replication: both are `pg_isready -U "
                + "postgres`. With its master refusing the replication role, for " + period.toSeconds() + " s the replica "
                + "received no WAL and its probes passed" + (last.ready().isPresent() ? ", its pod Ready and an endpoint of "
                + "its Service" : " (no cluster's pod here: the Kubernetes backend checks the Ready condition and the "
                + "endpoints)") + " (last look: " + last + "). Applications reading through the "
                + "replica's Service read data that no longer changes, without an error; what tells is the master's side "
                + "(Étape 3.1's pg_stat_replication, which showed no walsender; the alert PostgreSQLReplicationBroken on "
                + "pg_replication_connected == 0, a metric exported only once E07 is corrected). Observation, not an "
                + "erratum: the guide promises no probe of replication, and a readiness probe on it would leave a single "
                + "replica's Service without an endpoint, which a team chooses or not.");
    }

    private Look look(String replicaService, boolean onCluster) throws SQLException {
        ContainerPlan plan = pair.replica().plan();
        int readiness = pair.backend().exec(pair.replica(), Probes.readiness(plan), Map.of(), GuidePair.SCRIPT).exitCode();
        int liveness = plan.liveness().map(ProbePlan::command)
                .map(c -> pair.backend().exec(pair.replica(), c, Map.of(), GuidePair.SCRIPT).exitCode()).orElse(-1);
        int senders = pair.masterNode().walSenders().size();
        String masterLsn;
        long onMaster;
        try (Connection m = pair.masterNode().connect()) {
            masterLsn = String.valueOf(Sql.scalar(m, "SELECT pg_current_wal_lsn()::text"));
            onMaster = ((Number) Sql.scalar(m, "SELECT count(*) FROM " + TABLE)).longValue();
        }
        long throughService;
        String replay;
        try (Connection r = pair.connectThrough(replicaService)) {
            throughService = ((Number) Sql.scalar(r, "SELECT count(*) FROM " + TABLE)).longValue();
            replay = String.valueOf(Sql.scalar(r, "SELECT pg_last_wal_replay_lsn()::text"));
        }
        Optional<String> ready = Optional.empty();
        Optional<String> endpoints = Optional.empty();
        if (onCluster) {
            ClusterShell shell = pair.clusterShell().orElseThrow();
            ready = Optional.of(printed(shell, "oc get pod " + pair.replica().name()
                    + " -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}'"));
            endpoints = Optional.of(printed(shell, "oc get endpoints " + replicaService
                    + " -o jsonpath='{.subsets[*].addresses[*].targetRef.name}'"));
        }
        return new Look(readiness, liveness, senders, masterLsn, replay, onMaster, throughService, ready, endpoints);
    }

    private static String printed(ClusterShell shell, String line) {
        ContainerResult r = shell.run(line, GuidePair.SCRIPT);
        if (!r.succeeded()) {
            throw new IllegalStateException("`" + line + "` exited " + r.exitCode() + ": " + r.tail(3));
        }
        return r.output().strip();
    }
}

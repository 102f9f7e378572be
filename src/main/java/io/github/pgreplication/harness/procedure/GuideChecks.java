package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.errata.Erratum;
import io.github.pgreplication.harness.guide.GuideQuery;
import io.github.pgreplication.harness.node.ReplicaLag;
import io.github.pgreplication.harness.node.ReplicationSlot;
import io.github.pgreplication.harness.probes.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The guide's checks of Phases 3 and 4 on a pair, each one method that throws {@link AssertionError} when the
 * pair does not do what the guide says. The features call them on the healthy pair, and the negative
 * scenarios call the same methods on a pair broken on purpose to prove that each one can fail.
 */
public final class GuideChecks {

    /** The guide's Test 1 and Test 3 budget, and the Patroni-style "within 5 seconds" of the features. */
    public static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

    private final GuidePair pair;
    private final RunContext context;

    public GuideChecks(GuidePair pair, RunContext context) {
        this.context = context;
        this.pair = pair;
    }

    /** Étape 3.1: one walsender, streaming, async, replicator, walreceiver; then sent_lsn = replay_lsn once caught up. */
    public Map<String, Object> streaming() {
        GuideQuery q = context.guide().query("3.1", "FROM pg_stat_replication");
        List<Map<String, Object>> rows = context.ledger().verbatim(q.item(), () -> pair.runOnMaster(q));
        if (rows.size() != 1) {
            throw new AssertionError("Étape 3.1: expected one row in pg_stat_replication (one replica), got " + rows.size()
                    + (rows.isEmpty() ? ": no replica is connected" : ": " + rows));
        }
        Map<String, Object> row = rows.get(0);
        expect("3.1", row, "state", "streaming");
        expect("3.1", row, "sync_state", "async");
        expect("3.1", row, "usename", pair.names().replicationRole());
        expect("3.1", row, "application_name", "walreceiver");
        return row;
    }

    /** Étape 3.1's "sent_lsn = replay_lsn : pas de lag", once the replica has caught up with the master. */
    public void noLagOnceCaughtUp() {
        String target = lsn();
        catchUp("Étape 3.1: sent_lsn = replay_lsn", target, FIVE_SECONDS);
        GuideQuery q = context.guide().query("3.1", "FROM pg_stat_replication");
        Map<String, Object> row = pair.runOnMaster(q).get(0);
        if (!Objects.equals(row.get("sent_lsn"), row.get("replay_lsn"))) {
            throw new AssertionError("Étape 3.1: sent_lsn " + row.get("sent_lsn") + " != replay_lsn " + row.get("replay_lsn"));
        }
    }

    /**
     * Étape 3.2: the guide's slot ({@code replication_slot_slave}, as the manifests name it) is physical and active;
     * the WAL each slot of the master retains is kept as a figure.
     */
    public Map<String, Object> slotActive() {
        GuideQuery q = context.guide().query("3.2", "FROM pg_replication_slots");
        List<Map<String, Object>> rows = context.ledger().verbatim(q.item(), () -> pair.runOnMaster(q));
        String name = pair.names().slot();
        Map<String, Object> slot = rows.stream().filter(r -> name.equals(r.get("slot_name")))
                .findFirst().orElseThrow(() -> new AssertionError("Étape 3.2: no slot " + name + " in "
                        + "pg_replication_slots: " + rows));
        expect("3.2", slot, "slot_type", "physical");
        expect("3.2", slot, "active", Boolean.TRUE);
        try {
            for (ReplicationSlot s : pair.masterNode().slots()) {
                pair.figure("3.2", "WAL retained by slot " + s.slotName() + " (current LSN - restart_lsn)", s.retainedBytes(),
                        "bytes");
            }
        } catch (SQLException e) {
            throw new AssertionError("Étape 3.2: cannot read pg_replication_slots: SQLSTATE " + e.getSQLState(), e);
        }
        return slot;
    }

    /**
     * Étape 3.3: the guide's lag query (through its erratum if recorded), lag_mb below {@code maxMb} and lag_seconds
     * below {@code maxSeconds}; both kept as figures.
     */
    public Map<String, Object> lagAcceptable(long maxMb, long maxSeconds) {
        Map<String, Object> row = lag();
        if (!excellent(row, maxMb, maxSeconds)) {
            throw new AssertionError("Étape 3.3: lag_mb = " + row.get("lag_mb") + ", lag_seconds = " + row.get("lag_seconds")
                    + " (the guide's 'excellent' is lag_mb < " + maxMb + " and lag_seconds < " + maxSeconds + ")");
        }
        return lagFigures(row);
    }

    private Map<String, Object> lagFigures(Map<String, Object> row) {
        pair.figure("3.3", "lag_mb (guide's query)", ((Number) row.get("lag_mb")).doubleValue(), "MB");
        pair.figure("3.3", "lag_seconds (guide's query, corrected)", ((Number) row.get("lag_seconds")).doubleValue(), "s");
        return row;
    }

    /**
     * The lag of each replica as the master measures it ({@code pg_stat_replication}), kept as figures: the bytes from
     * the master's position to the replica's replay, and replay_lag.
     */
    public List<ReplicaLag> lagRecorded() {
        try {
            List<ReplicaLag> lags = pair.masterNode().lags();
            for (ReplicaLag r : lags) {
                pair.figure("3.3", "lag in bytes (pg_wal_lsn_diff of current and replay LSN)", r.lagBytes(), "bytes");
                pair.figure("3.3", "replay_lag (NULL when idle, shown as 0)", r.replayLagMs() == null ? 0 : r.replayLagMs(), "ms");
            }
            return lags;
        } catch (SQLException e) {
            throw new AssertionError("cannot read pg_stat_replication: SQLSTATE " + e.getSQLState(), e);
        }
    }

    /**
     * An application writing a row a second on the master while the replica's replay stands still, until the master's
     * {@code pg_stat_replication} shows the replica's replay_lag above {@code threshold} in whole seconds, rounded as
     * the CronJob's {@code EXTRACT(EPOCH FROM …)::INT} rounds it (60.002 s is 60, not above 60). The walsender reports
     * a stuck replay as a lag that grows with the time since the first WAL not replayed, updated at each of the
     * replica's replies (each WAL it receives, here each second). Fails with the last replay_lag seen when it does not
     * pass within three times the threshold. How long it took is kept as a figure.
     */
    public void replayLagPasses(Duration threshold) throws SQLException {
        long start = System.nanoTime();
        Long[] seen = {null};
        try (BackgroundWriter application = BackgroundWriter.start(pair, Duration.ofSeconds(1))) {
            context.waits().until("the replica's replay_lag, as the master shows it in whole seconds, above "
                            + threshold.toSeconds() + " s",
                    threshold.multipliedBy(3), Duration.ofSeconds(1), () -> {
                        List<ReplicaLag> lags = pair.masterNode().lags();
                        seen[0] = lags.size() == 1 ? lags.get(0).replayLagMs() : null;
                        return seen[0] != null && Math.round(seen[0] / 1000.0) > threshold.toSeconds();
                    }, () -> "replay_lag " + (seen[0] == null ? "NULL (or no replica)" : seen[0] + " ms"));
        }
        pair.scenarioFigure("monitoring-cronjob", "replay paused, an application writing: replay_lag above "
                + threshold.toSeconds() + " s after", Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0, "s");
    }

    /** The guide's « excellent » for a row of Étape 3.3's query: lag_mb below {@code maxMb}, lag_seconds below {@code maxSeconds}. */
    private static boolean excellent(Map<String, Object> row, long maxMb, long maxSeconds) {
        return ((Number) row.get("lag_mb")).intValue() < maxMb && ((Number) row.get("lag_seconds")).intValue() < maxSeconds;
    }

    /**
     * Étape 3.3's lag query, run until it shows lag_mb below {@code maxMb} and lag_seconds below {@code maxSeconds}.
     * After a catch-up the walsender keeps showing the last lag it measured (the WAL written while replay was paused
     * has a lag of the whole pause) until the replica's next status reports; the guide's « excellent » comes then.
     * The row that shows it is kept as figures.
     */
    public Map<String, Object> lagClears(long maxMb, long maxSeconds, java.time.Duration within) {
        java.util.concurrent.atomic.AtomicReference<Map<String, Object>> last = new java.util.concurrent.atomic.AtomicReference<>();
        context.waits().until("the guide's query of Étape 3.3 shows lag_mb < " + maxMb + " and lag_seconds < " + maxSeconds,
                within, java.time.Duration.ofMillis(250), () -> {
                    Map<String, Object> row = lag();
                    last.set(row);
                    return excellent(row, maxMb, maxSeconds);
                }, () -> "last row: " + last.get());
        return lagFigures(last.get());
    }

    /** Étape 3.3's lag query (through its erratum if recorded): its one row, whatever the lag. */
    public Map<String, Object> lag() {
        GuideQuery q = context.guide().query("3.3", "pg_wal_lsn_diff");
        List<Map<String, Object>> rows = context.ledger().verbatim(q.item(), () -> pair.runOnMaster(q),
                () -> correctedQuery(q));
        if (rows.isEmpty()) {
            throw new AssertionError("Étape 3.3: no row: no replica is connected");
        }
        return rows.get(0);
    }

    private List<Map<String, Object>> correctedQuery(GuideQuery q) {
        Erratum e = context.ledger().catalog().forItem(q.item()).stream().filter(x -> x.correctedSql() != null).findFirst()
                .orElseThrow(() -> new AssertionError("erratum for " + q.item() + " has no correctedSql"));
        try (Connection c = pair.masterNode().connect()) {
            return Sql.script(c, e.correctedSql()).get(0);
        } catch (SQLException ex) {
            throw new AssertionError("the corrected query of " + e.id() + " failed too: SQLSTATE " + ex.getSQLState()
                    + " " + ex.getMessage(), ex);
        }
    }

    /** What a write of the guide left to wait for: the master's WAL position after its commit, and when. */
    public record Written(String lsn, long atNanos) {
        long remainingMillis(Duration budget) {
            return Math.max(0, budget.toMillis() - Duration.ofNanos(System.nanoTime() - atNanos).toMillis());
        }
    }

    /**
     * The table of the guide's Test 1 ({@code CREATE TABLE IF NOT EXISTS test_replication}, the first statement of
     * its SQL), on the master and replayed on the replica: what Tests 2 and 3 write into, whatever ran before.
     */
    public void testTableExists() {
        GuideQuery write = context.guide().query("4.1", "CREATE TABLE IF NOT EXISTS test_replication");
        String create = write.sql().substring(0, write.sql().indexOf(';') + 1);
        try (Connection c = pair.masterNode().connect()) {
            Sql.script(c, create);
        } catch (SQLException e) {
            throw new AssertionError("Test 1's CREATE TABLE failed: SQLSTATE " + e.getSQLState() + " " + e.getMessage(), e);
        }
        catchUp("the replica has replayed Test 1's CREATE TABLE", lsn(), FIVE_SECONDS);
    }

    /** Test 1's write: the guide's CREATE TABLE and INSERT of three rows, verbatim, on the master. */
    public Written writeTest1Rows() {
        GuideQuery write = context.guide().query("4.1", "CREATE TABLE IF NOT EXISTS test_replication");
        context.ledger().verbatim(write.item(), () -> pair.run(write, false));
        return new Written(lsn(), System.nanoTime());
    }

    /**
     * Test 1's check: the replica has replayed the write within {@code budget} of it, and shows the master's rows; the
     * milliseconds from the write to the rows on the replica are kept as a figure.
     */
    public long rowsReplicated(Written written, Duration budget) {
        GuideQuery read = context.guide().query("4.1", "SELECT * FROM test_replication");
        catchUp("Test 1: the replica has replayed the master's rows", written.lsn(),
                Duration.ofMillis(written.remainingMillis(budget)));
        long ms = Duration.ofNanos(System.nanoTime() - written.atNanos()).toMillis();
        List<Map<String, Object>> onReplica = context.ledger().verbatim(read.item(), () -> pair.run(read, true).get(0));
        List<Map<String, Object>> onMaster = pair.run(read, false).get(0);
        Set<Object> expected = onMaster.stream().map(r -> r.get("message")).collect(Collectors.toSet());
        if (!onReplica.equals(onMaster) || !expected.containsAll(List.of("Test 1", "Test 2", "Test 3"))) {
            throw new AssertionError("Test 1: the replica's test_replication (" + onReplica.size() + " rows) differs from "
                    + "the master's (" + onMaster.size() + " rows)");
        }
        pair.figure("4.1", "Test 1: rows visible on the replica after the write", ms, "ms");
        return ms;
    }

    /** Test 1, write and check at once (a scenario's precondition, or a negative scenario's check). */
    public long rowsReplicate(Duration budget) {
        return rowsReplicated(writeTest1Rows(), budget);
    }

    /** Test 2: the guide's INSERT on the replica fails with SQLSTATE 25006 (read_only_sql_transaction). */
    public String insertRefusedOnReplica() {
        GuideQuery insert = context.guide().query("4.2", "VALUES ('Should fail')");
        try {
            pair.run(insert, true);
        } catch (Deviation.Exception refused) {
            String state = refused.deviation().sqlstate();
            if (!"25006".equals(state)) {
                throw new AssertionError("Test 2: the INSERT on the replica failed, but with SQLSTATE " + state
                        + " instead of 25006 (read_only_sql_transaction): " + refused.deviation().detail());
            }
            return refused.deviation().detail();
        }
        throw new AssertionError("Test 2: the INSERT on the replica succeeded: the replica accepts writes");
    }

    /** The number of rows Test 3's INSERT generates, read from the guide's SQL ({@code generate_series(1, N)}). */
    public static long test3Rows(GuideDocument guide) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("generate_series\\(1,\\s*(\\d+)\\)")
                .matcher(guide.query("4.3", "generate_series(").sql());
        if (!m.find()) {
            throw new AssertionError("Test 3's SQL has no generate_series(1, N): " + guide.query("4.3", "generate_series(").sql());
        }
        return Long.parseLong(m.group(1));
    }

    /** Test 3's load: the guide's 10,000-row INSERT committed on the master; the commit's position and time. */
    public Written insertTest3Rows() {
        GuideQuery insert = context.guide().query("4.3", "generate_series(");
        try (Connection master = pair.masterNode().connect()) {
            master.setAutoCommit(false);
            context.evidence().executed(insert.item());
            Sql.script(master, pair.adapt(insert));
            long committed = System.nanoTime();
            master.commit();
            master.setAutoCommit(true);
            return new Written((String) Sql.scalar(master, "SELECT pg_current_wal_lsn()::text"), committed);
        } catch (SQLException e) {
            throw new AssertionError("Test 3: SQLSTATE " + e.getSQLState() + " " + e.getMessage(), e);
        }
    }

    /**
     * Test 3's check: the milliseconds from the commit to the replica having replayed it, polled every 2 ms on the
     * replica (LSN comparison), then the guide's COUNT(*) on both; fails beyond {@code budget}. The milliseconds are kept
     * as a figure.
     */
    public long bulkReplicated(Written committed, Duration budget) {
        GuideQuery count = context.guide().query("4.3", "SELECT COUNT(*) FROM test_replication");
        try (Connection replica = pair.replicaNode().connect()) {
            long[] replayedAt = new long[1];
            context.waits().until("Test 3: the replica has replayed the 10,000-row INSERT", budget.multipliedBy(4),
                    Duration.ofMillis(2), () -> {
                        boolean done = Boolean.TRUE.equals(Sql.scalar(replica,
                                "SELECT pg_last_wal_replay_lsn() >= ?::pg_lsn", committed.lsn()));
                        if (done) {
                            replayedAt[0] = System.nanoTime();
                        }
                        return done;
                    }, () -> pair.masterNode().lastSeen(pair.replicaNode()));
            long ms = Duration.ofNanos(replayedAt[0] - committed.atNanos()).toMillis();
            Object onReplica = pair.run(count, true).get(0).get(0).get("count");
            Object onMaster = pair.run(count, false).get(0).get(0).get("count");
            if (!Objects.equals(onReplica, onMaster)) {
                throw new AssertionError("Test 3: COUNT(*) is " + onReplica + " on the replica and " + onMaster + " on the master");
            }
            if (ms > budget.toMillis()) {
                throw new AssertionError("Test 3: the replica replayed the 10,000 rows " + ms + " ms after the commit; "
                        + "the budget is < " + budget.toMillis() + " ms");
            }
            pair.figure("4.3", "Test 3: commit of 10,000 rows to replayed on the replica", ms, "ms");
            return ms;
        } catch (SQLException e) {
            throw new AssertionError("Test 3: SQLSTATE " + e.getSQLState() + " " + e.getMessage(), e);
        }
    }

    /** Test 3, load and check at once (the negative scenario's check). */
    public long bulkInsertReplicates(Duration budget) {
        return bulkReplicated(insertTest3Rows(), budget);
    }

    /**
     * Test 4: an application connecting through the Service {@code service} reaches a server that is read-only
     * (a replica in recovery) or writable (the master), as expected.
     */
    public void connectsThrough(String service, boolean readOnly) {
        try (Connection c = pair.connectThrough(service)) {
            expectReadOnly(service, c, readOnly);
        } catch (SQLException e) {
            throw new AssertionError("Test 4: an application could not connect through the Service " + service
                    + ": SQLSTATE " + e.getSQLState() + " " + e.getMessage(), e);
        }
    }

    private static void expectReadOnly(String service, Connection c, boolean readOnly) throws SQLException {
        Object recovery = Sql.scalar(c, "SELECT pg_is_in_recovery()");
        Object ro = Sql.scalar(c, "SHOW transaction_read_only");
        if (!Boolean.valueOf(readOnly).equals(recovery) || !(readOnly ? "on" : "off").equals(ro)) {
            throw new AssertionError("Test 4: through Service " + service + " pg_is_in_recovery() = " + recovery
                    + " and transaction_read_only = " + ro + "; expected " + (readOnly ? "a read-only replica" : "the writable master"));
        }
    }

    /** The master's current WAL position. */
    public String lsn() {
        return pair.masterNode().lsn();
    }

    /** Cluster.pm's wait_for_catchup: the master sees this pair's replica, by its slot, replayed to the target. */
    public void catchUp(String description, String targetLsn, Duration timeout) {
        pair.masterNode().waitForCatchup(pair.replicaNode(), targetLsn, description, timeout);
    }

    private static void expect(String step, Map<String, Object> row, String column, Object expected) {
        Object actual = row.get(column);
        if (!Objects.equals(String.valueOf(expected), String.valueOf(actual))) {
            throw new AssertionError("Étape " + step + ": " + column + " = " + actual + ", expected " + expected
                    + " (row: " + row + ")");
        }
    }
}

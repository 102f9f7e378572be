package io.github.pgreplication.harness.probes;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** What the master and the replica say of replication, with bound parameters and catalogue views only. */
public final class ReplicationProbe {

    private final SqlSource master;
    private final SqlSource replica;

    /** Opens a connection to one side of the pair. */
    @FunctionalInterface
    public interface SqlSource {
        Connection open() throws SQLException;
    }

    public ReplicationProbe(SqlSource master, SqlSource replica) {
        this.master = master;
        this.replica = replica;
    }

    public List<Map<String, Object>> statReplication() throws SQLException {
        try (Connection c = master.open()) {
            return Sql.rows(c, "SELECT pid, usename, application_name, client_addr, state, sync_state, sent_lsn, "
                    + "write_lsn, flush_lsn, replay_lsn, write_lag, flush_lag, replay_lag, reply_time "
                    + "FROM pg_stat_replication");
        }
    }

    public List<Map<String, Object>> slots() throws SQLException {
        try (Connection c = master.open()) {
            return Sql.rows(c, "SELECT slot_name, slot_type, active, restart_lsn, wal_status, "
                    + "pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint AS retained_bytes FROM pg_replication_slots");
        }
    }

    public String masterLsn() throws SQLException {
        try (Connection c = master.open()) {
            return (String) Sql.scalar(c, "SELECT pg_current_wal_lsn()::text");
        }
    }

    public boolean replicaInRecovery() throws SQLException {
        try (Connection c = replica.open()) {
            return (Boolean) Sql.scalar(c, "SELECT pg_is_in_recovery()");
        }
    }

    /** Cluster.pm's wait_for_catchup, replay mode: the master sees the replica's replay_lsn at or past the target. */
    public boolean replayedOnMaster(String targetLsn) throws SQLException {
        try (Connection c = master.open()) {
            Object ok = Sql.scalar(c, "SELECT bool_or(replay_lsn >= ?::pg_lsn AND state = 'streaming') FROM pg_stat_replication",
                    targetLsn);
            return Boolean.TRUE.equals(ok);
        }
    }

    /** Lag in bytes as the master measures it, and replay_lag in milliseconds (null when idle), per replica. */
    public List<Map<String, Object>> lag() throws SQLException {
        try (Connection c = master.open()) {
            return Sql.rows(c, "SELECT application_name, state, "
                    + "pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint AS lag_bytes, "
                    + "(EXTRACT(EPOCH FROM replay_lag) * 1000)::bigint AS replay_lag_ms FROM pg_stat_replication");
        }
    }

    /** What a timeout shows: the master's pg_stat_replication, as PostgreSQL's own TAP tests print it. */
    public Supplier<String> lastSeen(Supplier<String> replicaLog) {
        return () -> {
            StringBuilder sb = new StringBuilder("pg_stat_replication on the master: ");
            try {
                List<Map<String, Object>> rows = statReplication();
                sb.append(rows.isEmpty() ? "(no row: no replica connected)" : rows.toString());
            } catch (SQLException e) {
                sb.append("(unreadable: SQLSTATE ").append(e.getSQLState()).append(' ').append(e.getMessage()).append(')');
            }
            sb.append('\n').append(replicaLog.get());
            return sb.toString();
        };
    }
}
